using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class GetTicket(TicketEndpoints endpoints)
{
    [Function(nameof(GetTicket))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = TicketRoutes.Ticket)] HttpRequest request,
        string ticketId,
        CancellationToken cancellationToken) =>
        endpoints.GetTicketAsync(request, ticketId, cancellationToken);
}
