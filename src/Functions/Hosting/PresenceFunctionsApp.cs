using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using PresenceFunctions.Functions.Telemetry;

namespace PresenceFunctions.Functions.Hosting;

/// <summary>
/// The worker's host, set up as Azure runs it. Program.cs builds and runs this; the boot test builds the same one,
/// so a registration the worker cannot satisfy fails a test instead of the first start after a deployment.
/// </summary>
public static class PresenceFunctionsApp
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();

        // The same telemetry as `presence serve`; the worker adds its invocation spans and the Functions resource,
        // and tells the host (telemetryMode OpenTelemetry in host.json) not to send the worker's logs a second time.
        builder.Services.AddPresenceTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

        builder.Services.AddPresenceCore(builder.Configuration);
        return builder;
    }
}
