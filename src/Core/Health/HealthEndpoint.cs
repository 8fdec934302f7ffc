using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PresenceFunctions.Http;

namespace PresenceFunctions.Health;

/// <summary>
/// <c>GET /api/health</c>: whether storage and Service Bus answer. 200 when all do, else 503. It names each
/// dependency and its state and nothing more: no configuration, endpoint or exception text. The route is
/// anonymous, so the checks run at most once per <see cref="CacheFor"/> and every caller meanwhile gets that result.
/// </summary>
public sealed class HealthEndpoint(HealthCheckService health, TimeProvider time)
{
    public const string Route = PresenceRoutes.Health;
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private Task<HealthReport>? latest;
    private long latestStarted;

    public async Task<IActionResult> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await CurrentReport().WaitAsync(cancellationToken).ConfigureAwait(false);

        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new JsonObject
            {
                ["status"] = entry.Status.ToString(),
                ["detail"] = entry.Description,
            };
        }

        var body = new JsonObject { ["status"] = report.Status.ToString(), ["checks"] = checks };
        var healthy = report.Status == HealthStatus.Healthy;
        return new PayloadResult(
            healthy ? 200 : 503,
            ResponseFormat.Json.ContentType,
            PayloadWriter.Write(body, "Health", PayloadKind.Json),
            healthy ? [] : [new("Retry-After", "10")]);
    }

    /// <summary>The running or recent computation; a new one starts only when the last started over 5 s ago and has finished.</summary>
    private Task<HealthReport> CurrentReport()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            if (latest is not null && (!latest.IsCompleted || time.GetElapsedTime(latestStarted, now) < CacheFor))
            {
                return latest;
            }

            latestStarted = now;
            return latest = ComputeAsync();
        }
    }

    /// <summary>Not tied to any one caller's cancellation: the result is shared by everyone who asks meanwhile.</summary>
    private async Task<HealthReport> ComputeAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        try
        {
            return await health.CheckHealthAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new HealthReport(new Dictionary<string, HealthReportEntry>(), HealthStatus.Unhealthy, Timeout);
        }
    }
}
