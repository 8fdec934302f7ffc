namespace PresenceFunctions.Concurrency;

/// <summary>Counts work taken and not yet finished, and tells waiters when none is left (queues' WhenIdle, for tests and the benchmark).</summary>
public sealed class PendingWork
{
    private readonly Lock gate = new();
    private int count;
    private TaskCompletionSource? idle;

    public int Count => Volatile.Read(ref count);

    public void Started()
    {
        lock (gate)
        {
            count++;
        }
    }

    public void Finished()
    {
        lock (gate)
        {
            if (--count == 0 && idle is { } waiting)
            {
                idle = null;
                waiting.TrySetResult();
            }
        }
    }

    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (count == 0)
            {
                return Task.CompletedTask;
            }

            idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return idle.Task.WaitAsync(cancellationToken);
        }
    }
}
