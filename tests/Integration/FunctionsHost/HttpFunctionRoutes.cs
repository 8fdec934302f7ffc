using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>
/// The host's HTTP routing over the worker's HTTP triggers: the route prefix from host.json, the function's methods,
/// templates matched case-insensitively, the most specific first (a catch-all last).
/// </summary>
internal sealed class HttpFunctionRoutes
{
    private readonly List<(string FunctionId, TemplateMatcher Matcher, string[] Methods, decimal Precedence)> routes = [];

    public HttpFunctionRoutes(string routePrefix, IEnumerable<(string FunctionId, JsonElement Trigger)> httpTriggers)
    {
        foreach (var (functionId, trigger) in httpTriggers)
        {
            var route = trigger.TryGetProperty("route", out var r) ? r.GetString() : null;
            var template = TemplateParser.Parse(string.Join('/', new[] { routePrefix, route }.Where(p => !string.IsNullOrEmpty(p))));
            var methods = trigger.TryGetProperty("methods", out var m) ? [.. m.EnumerateArray().Select(x => x.GetString()!)] : Array.Empty<string>();
            routes.Add((functionId, new TemplateMatcher(template, []), methods, RoutePrecedence.ComputeInbound(template)));
        }

        routes.Sort((a, b) => a.Precedence.CompareTo(b.Precedence));
    }

    /// <summary>The function that answers this method and path, and its route values; null when none does.</summary>
    public (string FunctionId, RouteValueDictionary Values)? Match(string method, PathString path)
    {
        foreach (var (functionId, matcher, methods, _) in routes)
        {
            var values = new RouteValueDictionary();
            if ((methods.Length == 0 || methods.Contains(method, StringComparer.OrdinalIgnoreCase)) && matcher.TryMatch(path, values))
            {
                return (functionId, values);
            }
        }

        return null;
    }
}
