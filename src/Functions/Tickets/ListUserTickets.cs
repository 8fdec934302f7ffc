using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class ListUserTickets(TicketEndpoints endpoints)
{
    [Function(nameof(ListUserTickets))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TicketRoutes.UserTickets)] HttpRequest request,
        string associateId,
        CancellationToken cancellationToken) =>
        endpoints.ListUserTicketsAsync(request, associateId, cancellationToken);
}
