using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Health;

namespace PresenceFunctions.Functions.Http;

/// <summary>Reachability of storage and Service Bus, for load balancers and monitors: no credentials needed, no secrets answered.</summary>
public sealed class Health(HealthEndpoint endpoint)
{
    [Function(nameof(Health))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthEndpoint.Route)] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.CheckAsync(request, cancellationToken);
}
