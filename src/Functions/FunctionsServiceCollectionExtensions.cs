using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Functions;

/// <summary>The function app's composition root, shared by Program.cs and <c>presence serve</c>.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddPresenceFunctions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPresenceCore(configuration);
}
