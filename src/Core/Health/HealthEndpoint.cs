using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PresenceFunctions.Http;

namespace PresenceFunctions.Health;

/// <summary>
/// <c>GET /api/health</c>: whether storage and Service Bus answer. 200 when all do, else 503. It names each
/// dependency and its state and nothing more: no configuration, endpoint or exception text.
/// </summary>
public sealed class HealthEndpoint(HealthCheckService health)
{
    public const string Route = PresenceRoutes.Health;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<IActionResult> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var report = await health.CheckHealthAsync(timeout.Token).ConfigureAwait(false);

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
            healthy ? [new("Cache-Control", "no-store")] : [new("Cache-Control", "no-store"), new("Retry-After", "10")]);
    }
}
