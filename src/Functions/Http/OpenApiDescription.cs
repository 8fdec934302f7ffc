using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Http;

namespace PresenceFunctions.Functions.Http;

/// <summary>The API's OpenAPI description, for browsing the contract and generating clients: no credentials needed.</summary>
public static class OpenApiDescription
{
    [Function(nameof(OpenApiDescription))]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpenApiEndpoint.Route)] HttpRequest request) =>
        OpenApiEndpoint.Answer(request);
}
