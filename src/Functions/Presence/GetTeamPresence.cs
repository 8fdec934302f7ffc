using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Presence;

public sealed class GetTeamPresence(PresenceEndpoints endpoints)
{
    [Function(nameof(GetTeamPresence))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PresenceRoutes.Team)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoints.GetManyAsync(request, cancellationToken);
}
