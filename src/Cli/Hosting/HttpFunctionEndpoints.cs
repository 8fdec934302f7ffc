using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// Maps the function app's own HTTP-triggered methods onto ASP.NET Core routing, reading the same
/// <c>[Function]</c> and <c>[HttpTrigger]</c> attributes the Functions host reads. There is no second
/// implementation of any endpoint: each request creates the function class through DI and calls it.
/// </summary>
public static class HttpFunctionEndpoints
{
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return
        [
            .. from type in assembly.GetTypes()
               from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
               let function = method.GetCustomAttribute<FunctionAttribute>()
               let trigger = method.GetParameters()
                   .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                   .FirstOrDefault(a => a is not null)
               where function is not null && trigger is not null
               select new HttpFunction(function.Name, type, method, trigger.Route ?? function.Name, trigger.Methods ?? []),
        ];
    }

    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder endpoints, Assembly assembly, string routePrefix)
    {
        foreach (var function in Discover(assembly))
        {
            var methods = function.Methods.Select(m => m.ToUpperInvariant()).ToArray();
            var pattern = "/" + routePrefix + "/" + function.Route;
            var builder = methods.Length == 0
                ? endpoints.Map(pattern, context => InvokeAsync(context, function))
                : endpoints.MapMethods(pattern, methods, context => InvokeAsync(context, function));
            builder.WithDisplayName(function.Name);
        }

        return endpoints;
    }

    private static async Task InvokeAsync(HttpContext context, HttpFunction function)
    {
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, function.Type);
        var arguments = function.Method.GetParameters().Select(p => Bind(p, context)).ToArray();
        var returned = function.Method.Invoke(instance, arguments);
        var result = returned switch
        {
            Task<IActionResult> task => await task.ConfigureAwait(false),
            IActionResult actionResult => actionResult,
            _ => throw new InvalidOperationException($"{function.Name} must return IActionResult or Task<IActionResult>."),
        };
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }

    /// <summary>Binds as the worker does: the request, the cancellation token, and route values by parameter name.</summary>
    private static object? Bind(ParameterInfo parameter, HttpContext context) => parameter.ParameterType switch
    {
        var t when t == typeof(HttpRequest) => context.Request,
        var t when t == typeof(CancellationToken) => context.RequestAborted,
        var t when t == typeof(string) => context.Request.RouteValues[parameter.Name!]?.ToString(),
        _ => throw new NotSupportedException($"Parameter {parameter.Name} of type {parameter.ParameterType} cannot be bound locally."),
    };
}

/// <summary>One HTTP-triggered function as its attributes declare it.</summary>
public sealed record HttpFunction(string Name, Type Type, MethodInfo Method, string Route, IReadOnlyList<string> Methods);
