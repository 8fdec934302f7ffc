using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>Wraps the service a collection resolves now (its last registration) in a decorator, keeping that service's own construction.</summary>
public static class ServiceDecoration
{
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"No {typeof(TService).Name} is registered to decorate.");
        services.Remove(inner);
        services.AddSingleton(sp => decorate(sp, Create<TService>(sp, inner)));
        return services;
    }

    private static TService Create<TService>(IServiceProvider services, ServiceDescriptor descriptor) =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
