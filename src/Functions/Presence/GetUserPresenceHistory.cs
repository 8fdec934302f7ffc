using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Presence;

public sealed class GetUserPresenceHistory(PresenceEndpoints endpoints)
{
    [Function(nameof(GetUserPresenceHistory))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PresenceRoutes.UserHistory)] HttpRequest request,
        string associateId,
        CancellationToken cancellationToken) =>
        endpoints.HistoryAsync(request, associateId, cancellationToken);
}
