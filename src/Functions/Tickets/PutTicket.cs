using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class PutTicket(TicketEndpoints endpoints)
{
    [Function(nameof(PutTicket))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = TicketRoutes.Ticket)] HttpRequest request,
        string ticketId,
        CancellationToken cancellationToken) =>
        endpoints.PutTicketAsync(request, ticketId, cancellationToken);
}
