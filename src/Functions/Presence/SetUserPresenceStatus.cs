using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Presence;

public sealed class SetUserPresenceStatus(PresenceEndpoints endpoints)
{
    [Function(nameof(SetUserPresenceStatus))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PresenceRoutes.AgentSet)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoints.SetAsync(request, cancellationToken);
}
