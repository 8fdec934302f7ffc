using System.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PresenceFunctions.Cli.Hosting;

namespace PresenceFunctions.Cli.Serve;

/// <summary><c>presence serve</c>: the function app on Kestrel, with Azurite started when nothing listens.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => LocalFunctionHost.DefaultUrl,
        };
        var command = new Command("serve", "Run the presence API locally on Kestrel (no Core Tools needed).") { urls };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(urls)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string urls, CancellationToken cancellationToken)
    {
        await using var app = LocalFunctionHost.Build(configure: builder =>
        {
            builder.WebHost.UseUrls(urls);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        });

        await using var azurite = await EnsureAzuriteAsync(app.Configuration, cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [urls];
        foreach (var address in addresses)
        {
            Console.WriteLine($"Presence API listening on {address.TrimEnd('/')}/api/");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Starts Azurite when storage points at this machine and nothing listens there; null when not needed.</summary>
    private static async Task<AzuriteProcess?> EnsureAzuriteAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var endpoint = DevelopmentStorage.LocalTableEndpoint(configuration[PresenceServiceCollectionExtensions.StorageSetting]);
        if (endpoint is null)
        {
            return null;
        }

        if (await AzuriteProcess.IsListeningAsync("127.0.0.1", endpoint.Port, cancellationToken).ConfigureAwait(false))
        {
            Console.WriteLine($"Using the storage emulator already listening on 127.0.0.1:{endpoint.Port}.");
            return null;
        }

        var location = Path.Combine(Directory.GetCurrentDirectory(), ".azurite");
        var azurite = await AzuriteProcess.StartAsync(endpoint.Port, location, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"Started Azurite (Table service) on 127.0.0.1:{endpoint.Port}, data in {location}; it stops with this command.");
        return azurite;
    }
}
