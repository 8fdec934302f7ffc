using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class ListCategoryTickets(TicketEndpoints endpoints)
{
    [Function(nameof(ListCategoryTickets))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TicketRoutes.CategoryTickets)] HttpRequest request,
        string categoryId,
        CancellationToken cancellationToken) =>
        endpoints.ListCategoryTicketsAsync(request, categoryId, cancellationToken);
}
