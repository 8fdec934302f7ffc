using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class PutTicketCategory(TicketEndpoints endpoints)
{
    [Function(nameof(PutTicketCategory))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = TicketRoutes.Category)] HttpRequest request,
        string categoryId,
        CancellationToken cancellationToken) =>
        endpoints.PutCategoryAsync(request, categoryId, cancellationToken);
}
