using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using PresenceFunctions;
using PresenceFunctions.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The same telemetry as `presence serve`; the worker adds its invocation spans and the Functions resource,
// and tells the host (telemetryMode OpenTelemetry in host.json) not to send the worker's logs a second time.
builder.Services.AddPresenceTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

builder.Services.AddPresenceCore(builder.Configuration);
builder.Build().Run();
