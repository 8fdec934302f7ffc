using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>A presence transport that holds every publish until it is opened, then records what it accepted.</summary>
public sealed class GatedPublisher : IPresenceEventPublisher
{
    private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private readonly List<string> published = [];
    private int waiting;

    /// <summary>Publishes that have started and wait at the gate.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    public IReadOnlyList<string> Published
    {
        get
        {
            lock (gate)
            {
                return [.. published];
            }
        }
    }

    public void Open() => open.TrySetResult();

    public async Task PublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        Interlocked.Increment(ref waiting);
        try
        {
            await open.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }

        lock (gate)
        {
            published.Add(outboxEvent.EventId);
        }
    }
}
