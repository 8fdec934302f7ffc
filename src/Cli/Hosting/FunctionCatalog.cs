using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// The function app's functions as the Functions host sees them: methods with <c>[Function]</c> and a
/// trigger attribute on one parameter. Invoking one creates its class through DI, as the worker does.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return
        [
            .. from type in assembly.GetTypes()
               from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
               let function = method.GetCustomAttribute<FunctionAttribute>()
               where function is not null
               let trigger = method.GetParameters()
                   .Select(p => (Parameter: p, Attribute: p.GetCustomAttribute<TriggerBindingAttribute>()))
                   .FirstOrDefault(p => p.Attribute is not null)
               where trigger.Attribute is not null
               select new FunctionDefinition(function.Name, type, method, trigger.Parameter, trigger.Attribute)
               {
                   Parameters = method.GetParameters(),
                   Factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(type, []),
               },
        ];
    }

    /// <summary>Runs a function: the trigger value goes to the trigger parameter, the token to CancellationToken, the rest is bound by <paramref name="bind"/>.</summary>
    public static async Task<object?> InvokeAsync(
        IServiceProvider services,
        FunctionDefinition function,
        object? triggerValue,
        CancellationToken cancellationToken,
        Func<ParameterInfo, object?>? bind = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var instance = function.Factory?.Invoke(services, null);
        var arguments = new object?[function.Parameters.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = function.Parameters[i];
            arguments[i] = parameter == function.TriggerParameter ? triggerValue
                : parameter.ParameterType == typeof(CancellationToken) ? cancellationToken
                : bind is not null ? bind(parameter)
                : throw new NotSupportedException($"{function.Name}: parameter {parameter.Name} cannot be bound locally.");
        }

        // DoNotWrapExceptions: a failing function throws its own exception, as it would under the host.
        var returned = function.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return task.GetType().IsGenericType ? task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
            default:
                return returned;
        }
    }
}

/// <summary>One function: its class, method, trigger parameter and trigger attribute; its parameters and factory, looked up once.</summary>
public sealed record FunctionDefinition(string Name, Type Type, MethodInfo Method, ParameterInfo TriggerParameter, TriggerBindingAttribute Trigger)
{
    public IReadOnlyList<ParameterInfo> Parameters { get; init; } = Method.GetParameters();

    /// <summary>Creates the function class from DI, as the worker does for each invocation; null for static functions.</summary>
    public ObjectFactory? Factory { get; init; }
}
