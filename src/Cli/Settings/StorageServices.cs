using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PresenceFunctions.Cli.Settings;

/// <summary>
/// What the operator verbs (credentials, seed, tickets) run against: the local settings and Core's
/// registrations in a plain service provider. No web host, routes, triggers or event delivery; services
/// are created on first use, so a verb builds only the store it asks for and what that store needs.
/// </summary>
public static class StorageServices
{
    /// <param name="verbose">
    /// Log to standard error, framework and library categories included (<c>--verbose</c>). Otherwise only this
    /// app's own warnings and errors reach standard error: a verb's answer is what it prints, and what goes wrong
    /// surfaces as its one-line error.
    /// </param>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?>? overrides, bool verbose = false)
    {
        var configuration = new ConfigurationManager().AddLocalConfiguration(overrides);
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging =>
            {
                logging.AddSimpleConsole(o => o.SingleLine = true)
                    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                if (verbose)
                {
                    logging.SetMinimumLevel(LogLevel.Information);
                }
                else
                {
                    // Quiet, but never silent about our own trouble (an event left to the relay, a table recreated).
                    logging.SetMinimumLevel(LogLevel.None).AddFilter("PresenceFunctions", LogLevel.Warning);
                }
            })
            .AddPresenceCore(configuration);

        // No host runs the dispatch queue here: a verb publishes right after its commit, as it waits anyway.
        services.AddSingleton<PresenceFunctions.Presence.IPresenceChangePublisher>(sp => sp.GetRequiredService<PresenceFunctions.Events.OutboxPublisher>());
        services.AddSingleton<PresenceFunctions.Tickets.ITicketChangePublisher>(sp => sp.GetRequiredService<PresenceFunctions.Events.TicketOutboxPublisher>());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }
}
