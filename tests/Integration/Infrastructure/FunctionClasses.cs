using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>The function classes functions.metadata names, created the way the worker creates them for an invocation.</summary>
public static class FunctionClasses
{
    /// <summary>Every class an entry point in the built functions.metadata names, from the assembly its scriptFile names.</summary>
    public static IReadOnlyList<Type> Listed()
    {
        var assembly = typeof(PresenceFunctions.Functions.Http.Health).Assembly;
        return
        [
            .. FunctionsMetadata.Functions()
                .Select(f =>
                {
                    Assert.Equal(assembly.GetName().Name + ".dll", f.GetProperty("scriptFile").GetString());
                    var entryPoint = f.GetProperty("entryPoint").GetString()!;
                    var typeName = entryPoint[..entryPoint.LastIndexOf('.')];
                    return assembly.GetType(typeName, throwOnError: true)!;
                })
                .Distinct(),
        ];
    }

    /// <summary>
    /// Creates each instance class in an invocation scope, as the worker's function activator does
    /// (ActivatorUtilities over the invocation's services); static classes need no instance.
    /// </summary>
    public static void ResolveAll(IServiceProvider services, IEnumerable<Type> functionClasses)
    {
        using var scope = services.CreateScope();
        foreach (var type in functionClasses.Where(t => !(t.IsAbstract && t.IsSealed)))
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
    }
}
