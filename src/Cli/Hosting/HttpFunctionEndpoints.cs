using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Maps the function app's own HTTP-triggered methods onto ASP.NET Core routing, from the same
/// <c>[Function]</c> and <c>[HttpTrigger]</c> attributes the Functions host reads. There is no second
/// implementation of any endpoint: each request creates the function class through DI and calls it.
/// </summary>
public static class HttpFunctionEndpoints
{
    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder endpoints, Assembly assembly, string routePrefix)
    {
        foreach (var function in FunctionCatalog.Discover(assembly).Where(f => f.Trigger is HttpTriggerAttribute))
        {
            var trigger = (HttpTriggerAttribute)function.Trigger;
            var methods = (trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).ToArray();
            var pattern = "/" + routePrefix + "/" + (trigger.Route ?? function.Name);
            var builder = methods.Length == 0
                ? endpoints.Map(pattern, context => InvokeAsync(context, function))
                : endpoints.MapMethods(pattern, methods, context => InvokeAsync(context, function));
            builder.WithDisplayName(function.Name);
        }

        return endpoints;
    }

    private static async Task InvokeAsync(HttpContext context, FunctionDefinition function)
    {
        // Route values bind to string parameters by name, as the worker binds them.
        var returned = await FunctionCatalog.InvokeAsync(
            context.RequestServices,
            function,
            context.Request,
            context.RequestAborted,
            p => p.ParameterType == typeof(string)
                ? context.Request.RouteValues[p.Name!]?.ToString()
                : throw new NotSupportedException($"{function.Name}: parameter {p.Name} cannot be bound locally.")).ConfigureAwait(false);
        var result = returned as IActionResult
            ?? throw new InvalidOperationException($"{function.Name} must return IActionResult or Task<IActionResult>.");
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }
}
