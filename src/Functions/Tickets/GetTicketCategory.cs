using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class GetTicketCategory(TicketEndpoints endpoints)
{
    [Function(nameof(GetTicketCategory))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TicketRoutes.Category)] HttpRequest request,
        string categoryId,
        CancellationToken cancellationToken) =>
        endpoints.GetCategoryAsync(request, categoryId, cancellationToken);
}
