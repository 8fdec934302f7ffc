using Azure.Core;
using Azure.Core.Pipeline;

namespace PresenceFunctions.Cli.Bench;

/// <summary>Counts the requests an Azure SDK client sends: the storage round trips.</summary>
public sealed class RoundTripCounter : HttpPipelinePolicy
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref count);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref count);
        return ProcessNextAsync(message, pipeline);
    }
}
