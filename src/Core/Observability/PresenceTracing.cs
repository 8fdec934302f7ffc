using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Observability;

/// <summary>
/// W3C trace context carried from the HTTP Set, through the outbox row and the Service Bus message
/// (<c>Diagnostic-Id</c> and <c>traceparent</c>), into the rebalance pass, so one trace shows the whole change.
/// </summary>
public static class PresenceTracing
{
    public const string SourceName = "PresenceFunctions";
    public const string DiagnosticIdProperty = "Diagnostic-Id";
    public const string TraceParentProperty = "traceparent";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The request's trace context: the current activity, else the caller's traceparent header; null when neither is valid.</summary>
    public static string? TraceParentOf(HttpRequest? request)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
        {
            return current.Id;
        }

        var header = request?.Headers[TraceParentProperty].ToString();
        return IsValid(header) ? header : null;
    }

    /// <summary>The trace context a received message carries, from the properties the publisher set.</summary>
    public static string? TraceParentOf(IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var name in new[] { TraceParentProperty, DiagnosticIdProperty })
        {
            if (properties.TryGetValue(name, out var value) && value is string text && IsValid(text))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>
    /// Starts an activity continuing <paramref name="traceParent"/>; null when nothing listens. When the current
    /// activity is already in that trace (the Functions invocation of the message, the publish span delivering
    /// in-process), the new one nests under it instead of beside it.
    /// </summary>
    public static Activity? StartContinuation(string name, ActivityKind kind, string? traceParent) =>
        ActivityContext.TryParse(traceParent, traceState: null, out var parent) && Activity.Current?.TraceId != parent.TraceId
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);

    /// <summary>The trace id of a traceparent, for log scopes that must carry it even when no activity is recorded.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        ActivityContext.TryParse(traceParent, traceState: null, out var context) ? context.TraceId.ToHexString() : null;

    private static bool IsValid(string? traceParent) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState: null, out _);
}
