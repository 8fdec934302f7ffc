using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;

namespace PresenceFunctions.Cli.Serve;

/// <summary>
/// <c>presence serve --traces</c>: one line per finished span, so a developer sees a Set's spans share a
/// trace id and chain by parent without running a collector. A storage call that belongs to no request or
/// event (the outbox relay polling its partitions every 30 seconds) is left out: it would bury the rest.
/// </summary>
public sealed class ConsoleSpanProcessor(TextWriter output) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ParentSpanId == default && data.Source.Name.StartsWith("Azure.", StringComparison.Ordinal))
        {
            return;
        }

        output.WriteLine(Format(data));
    }

    public static string Format(Activity span)
    {
        ArgumentNullException.ThrowIfNull(span);
        var parent = span.ParentSpanId == default ? "-" : span.ParentSpanId.ToHexString();
        return string.Create(CultureInfo.InvariantCulture, $"span {span.DisplayName} trace={span.TraceId} span={span.SpanId} parent={parent} {span.Duration.TotalMilliseconds:0.0} ms");
    }
}
