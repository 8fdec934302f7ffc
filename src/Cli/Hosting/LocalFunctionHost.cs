using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using PresenceFunctions.Events;
using PresenceFunctions.Functions;
using PresenceFunctions.Functions.Presence;
using PresenceFunctions.Functions.Telemetry;
using PresenceFunctions.Http;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>
/// The function app on plain Kestrel: the same settings, the same composition root and the same
/// function classes as the Functions host. <c>presence serve</c> runs it; the HTTP tests run it on TestServer.
/// </summary>
public static class LocalFunctionHost
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>The app's own logs at Information; ASP.NET Core's and the Azure SDK's per-request chatter only when it matters.</summary>
    private static readonly Dictionary<string, string?> QuietFrameworkLogs = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        // Azure.Core reports every 404 as a warning, and "not found" is an ordinary answer here.
        ["Logging:LogLevel:Azure"] = "Error",
    };

    /// <param name="overrides">Settings that win over local.settings.json and the environment (tests use them).</param>
    /// <param name="configure">A last word on the builder, such as UseTestServer.</param>
    public static WebApplication Build(
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddInMemoryCollection(QuietFrameworkLogs)
            .AddLocalSettings(LocalSettings.Find(Directory.GetCurrentDirectory()))
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());

        if (!PresenceServiceCollectionExtensions.IsSet(builder.Configuration.GetSection(PresenceServiceCollectionExtensions.StorageSetting)))
        {
            builder.Configuration[PresenceServiceCollectionExtensions.StorageSetting] = "UseDevelopmentStorage=true";
        }

        builder.Services.AddRouting();
        builder.Services.AddPresenceFunctions(builder.Configuration);
        builder.Services.AddPresenceTelemetry(builder.Configuration, tracing => tracing.AddAspNetCoreInstrumentation());
        AddTriggers(builder.Services, builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapHttpFunctions(typeof(SetUserPresenceStatus).Assembly, PresenceRoutes.Prefix);
        return app;
    }

    /// <summary>
    /// The non-HTTP triggers: timers on their schedules; Service Bus messages from the real subscription
    /// when ServiceBusConnection is set, else events delivered in-process to the same function.
    /// </summary>
    private static void AddTriggers(IServiceCollection services, ConfigurationManager configuration)
    {
        if (!PresenceServiceCollectionExtensions.IsSet(configuration.GetSection(PresenceServiceCollectionExtensions.ServiceBusSetting)))
        {
            services.AddSingleton<IPresenceEventPublisher, InProcessEventPublisher>();
        }
        else
        {
            services.AddHostedService<ServiceBusTriggerService>();
        }

        if (configuration.GetValue(TimerFunctionService.EnabledSetting, defaultValue: true))
        {
            services.AddHostedService<TimerFunctionService>();
        }
    }
}
