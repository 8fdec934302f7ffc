using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Http;

/// <summary>Catch-all route (lowest precedence), so unknown routes get the error body instead of the host's empty 404.</summary>
public static class RouteNotFound
{
    [Function(nameof(RouteNotFound))]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request) =>
        RouteFallback.Answer(request);
}
