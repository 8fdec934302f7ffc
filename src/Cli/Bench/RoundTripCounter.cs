using Azure.Core;
using Azure.Core.Pipeline;

namespace PresenceFunctions.Cli.Bench;

/// <summary>Counts the requests an Azure SDK client sends (the storage round trips), and how many were reads and entity-group transactions.</summary>
public sealed class RoundTripCounter : HttpPipelinePolicy
{
    private long count;
    private long reads;
    private long transactions;
    private long offPath;

    public long Count => Interlocked.Read(ref count);

    /// <summary>GETs: point reads and query pages.</summary>
    public long Reads => Interlocked.Read(ref reads);

    /// <summary>POSTs to <c>$batch</c>.</summary>
    public long Transactions => Interlocked.Read(ref transactions);

    /// <summary>Requests sent from the event dispatch queue, after the answer.</summary>
    public long OffPath => Interlocked.Read(ref offPath);

    public void Reset()
    {
        Interlocked.Exchange(ref offPath, 0);
        Interlocked.Exchange(ref count, 0);
        Interlocked.Exchange(ref reads, 0);
        Interlocked.Exchange(ref transactions, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Tally(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Tally(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Tally(HttpMessage message)
    {
        Interlocked.Increment(ref count);
        if (PresenceFunctions.Events.EventDispatchQueue.OnDispatchLane)
        {
            Interlocked.Increment(ref offPath);
        }

        if (message.Request.Method == RequestMethod.Get)
        {
            Interlocked.Increment(ref reads);
        }
        else if (message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref transactions);
        }
    }
}
