using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PresenceFunctions.Observability;

namespace PresenceFunctions.Functions.Telemetry;

/// <summary>
/// The app's telemetry on OpenTelemetry, registered alike by Program.cs and <c>presence serve</c>: the app's
/// spans and counters, the Azure SDK's calls, and logs; exported to Application Insights and/or OTLP when set.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string ServiceName = "presence-functions";
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNameSetting = "OTEL_SERVICE_NAME";

    /// <param name="tracing">Host-specific sources, such as ASP.NET Core's requests under <c>presence serve</c>.</param>
    /// <returns>The builder, for the host's own defaults (the Functions worker's <c>UseFunctionsWorkerDefaults</c>).</returns>
    public static IOpenTelemetryBuilder AddPresenceTelemetry(this IServiceCollection services, IConfiguration configuration, Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Azure SDK clients report their calls on ActivitySources only with this switch. The app takes one span per
        // Table Storage or Service Bus operation, not Azure.Core's HTTP span under each, which would double every call.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration[ServiceNameSetting] is { Length: > 0 } name ? name : ServiceName))
            .WithTracing(builder =>
            {
                builder.AddSource(PresenceTracing.SourceName, "Azure.Data.Tables.*", "Azure.Messaging.ServiceBus.*");
                tracing?.Invoke(builder);
            })
            .WithMetrics(builder => builder.AddMeter(PresenceMetrics.MeterName))
            .WithLogging();

        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            var credential = ApplicationInsightsCredential.From(configuration[ApplicationInsightsCredential.Setting]);
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = credential;
            });
        }

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]))
        {
            // The exporter reads the endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }

        return telemetry;
    }
}
