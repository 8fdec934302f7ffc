using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using PresenceFunctions.Cli.Settings;
using PresenceFunctions.Functions.Telemetry;
using PresenceFunctions.Presence;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// The function app as plain ASP.NET Core: the host's settings and composition root, routes onto the same Core endpoints
/// (<see cref="LocalRoutes"/>), the other triggers as background services. <c>presence serve</c> and the HTTP tests run it.
/// </summary>
public static class LocalFunctionHost
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>False leaves the timers off: tests run the relay themselves.</summary>
    public const string TimersSetting = "Serve:Timers";

    /// <param name="overrides">Settings that win over local.settings.json and the environment (tests use them).</param>
    /// <param name="configure">A last word on the builder, such as UseTestServer.</param>
    public static WebApplication Build(IReadOnlyDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        var configuration = builder.Configuration.AddLocalConfiguration(overrides);
        builder.Services.AddRouting().AddPresenceCore(configuration);
        builder.Services.AddPresenceTelemetry(configuration, tracing => tracing.AddAspNetCoreInstrumentation());

        // Service Bus messages from the real subscription when configured, else events handed over in-process
        // (assignment events have no in-process consumer: they are accepted and logged).
        if (PresenceServiceCollectionExtensions.IsSet(configuration.GetSection(PresenceServiceCollectionExtensions.ServiceBusSetting)))
        {
            builder.Services.AddHostedService<RebalanceSubscription>();
        }
        else
        {
            // The subscription's own queue runs the passes: never inside a request, never inside the Set's publish.
            builder.Services.AddSingleton<InProcessSubscription>();
            builder.Services.AddHostedService<InProcessRebalanceWorker>();
            builder.Services.AddSingleton<IPresenceEventPublisher, InProcessEventPublisher>();
            builder.Services.AddSingleton<ITicketEventPublisher, InProcessTicketEventPublisher>();
        }

        if (configuration.GetValue(TimersSetting, defaultValue: true))
        {
            ScheduledRun.AddTimerFunctions(builder.Services);
        }

        configure?.Invoke(builder);
        return builder.Build().MapLocalRoutes();
    }
}
