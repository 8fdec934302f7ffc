using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Tickets;

public sealed class PostTicketMessage(TicketEndpoints endpoints)
{
    [Function(nameof(PostTicketMessage))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = TicketRoutes.TicketMessages)] HttpRequest request,
        string ticketId,
        CancellationToken cancellationToken) =>
        endpoints.AddMessageAsync(request, ticketId, cancellationToken);
}
