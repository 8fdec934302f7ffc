using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>
/// Records, while it lives, every HTTP request, name lookup and socket connection this process makes to anything but
/// loopback (other tests talk to Azurite on loopback at the same time), from .NET's own networking activity sources.
/// </summary>
public sealed class NetworkCalls : IDisposable
{
    private readonly ConcurrentQueue<string> calls = new();
    private readonly ActivityListener listener;

    public NetworkCalls()
    {
        listener = new ActivityListener
        {
            // "System.Net.Http", and the name resolution and sockets sources (named "Experimental.System.Net.*" before .NET 10).
            ShouldListenTo = source => source.Name.Contains("System.Net.", StringComparison.Ordinal) || source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = Record,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>Each call as "operation target".</summary>
    public IReadOnlyCollection<string> Calls => [.. calls.Distinct()];

    public void Dispose() => listener.Dispose();

    private void Record(Activity activity)
    {
        var target = activity.GetTagItem("server.address") ?? activity.GetTagItem("dns.question.name") ?? activity.GetTagItem("network.peer.address") ?? activity.GetTagItem("url.full");
        if (target?.ToString() is { Length: > 0 } name && !IsLoopback(name))
        {
            calls.Enqueue($"{activity.OperationName} {name}");
        }
    }

    private static bool IsLoopback(string name) =>
        name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
}
