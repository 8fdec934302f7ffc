using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace PresenceFunctions.Http;

/// <summary>Answers what no route matched: 405 with Allow when the path is known, else 404, both with the error body.</summary>
public static class RouteFallback
{
    private static readonly IReadOnlyList<(TemplateMatcher Matcher, string[] Methods)> Routes =
        [.. PresenceRoutes.All.Select(r => (new TemplateMatcher(TemplateParser.Parse(PresenceRoutes.Prefix + "/" + r.Template), []), r.Methods))];

    public static IActionResult Answer(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var format = ContentNegotiation.Choose(request.Headers.Accept, request.ContentType);
        var allowed = Routes
            .Where(r => r.Matcher.TryMatch(request.Path, new RouteValueDictionary()))
            .SelectMany(r => r.Methods)
            .ToList();

        var error = allowed.Count == 0
            ? ApiError.NotFound("No route matches this path.")
            : new ApiError(405, "MethodNotAllowed", $"This route answers {string.Join(", ", allowed)} only.", "Method")
            {
                Headers = [new("Allow", string.Join(", ", allowed))],
            };
        return ApiResponses.Error(error, format);
    }
}
