using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PresenceFunctions.Functions.Hosting;
using PresenceFunctions.Health;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Functions;

/// <summary>
/// The worker's host as Program.cs builds it, with the container validated: every function class in functions.metadata
/// and everything its constructor needs resolves, so a missing registration fails here and not after a deployment.
/// </summary>
public sealed class WorkerBootTests
{
    [Fact]
    public void TheWorkerHostBuildsAsProgramDoesAndResolvesEveryFunctionInTheMetadata()
    {
        var builder = Builder();

        using var host = builder.Build();

        var listed = FunctionClasses.Listed();
        Assert.Contains(typeof(PresenceFunctions.Functions.Presence.SetUserPresenceStatus), listed);
        Assert.Contains(typeof(PresenceFunctions.Functions.Events.RebalanceTickets), listed);
        FunctionClasses.ResolveAll(host.Services, listed);
    }

    [Fact]
    public void AFunctionWhoseDependencyIsNotRegisteredFailsTheBootCheckNamingIt()
    {
        var builder = Builder();
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(HealthEndpoint));
        builder.Services.RemoveAll<HealthEndpoint>();

        // The container itself still validates (nothing registered needs the endpoint); only the function does.
        using var host = builder.Build();

        var failure = Assert.Throws<InvalidOperationException>(() => FunctionClasses.ResolveAll(host.Services, FunctionClasses.Listed()));
        Assert.Contains(typeof(HealthEndpoint).FullName!, failure.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(PresenceFunctions.Functions.Http.Health).FullName!, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Program.cs's builder, with a placeholder host endpoint (nothing connects: the host is never started) and a validating container.</summary>
    private static FunctionsApplicationBuilder Builder()
    {
        var builder = PresenceFunctionsApp.CreateBuilder(
        [
            "--Functions:Worker:HostEndpoint", "http://127.0.0.1:9/",
            "--PresenceStorage", "UseDevelopmentStorage=true",
        ]);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        return builder;
    }
}
