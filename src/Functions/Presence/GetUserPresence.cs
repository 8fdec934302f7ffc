using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Presence;

public sealed class GetUserPresence(PresenceEndpoints endpoints)
{
    [Function(nameof(GetUserPresence))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PresenceRoutes.User)] HttpRequest request,
        string associateId,
        CancellationToken cancellationToken) =>
        endpoints.GetByIdAsync(request, associateId, cancellationToken);
}
