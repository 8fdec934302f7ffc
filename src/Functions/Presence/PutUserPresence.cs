using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Presence;

public sealed class PutUserPresence(PresenceEndpoints endpoints)
{
    [Function(nameof(PutUserPresence))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PresenceRoutes.User)] HttpRequest request,
        string associateId,
        CancellationToken cancellationToken) =>
        endpoints.PutAsync(request, associateId, cancellationToken);
}
