using Polly;
using Polly.Retry;

namespace PresenceFunctions.Concurrency;

/// <summary>
/// The one retry policy for optimistic concurrency (Polly): an attempt that throws
/// <see cref="ConcurrencyConflictException"/> is redone from a fresh read, after a jittered exponential backoff so
/// writers that collided do not collide again in step, at most <see cref="MaxAttempts"/> times in all.
/// Transient faults of the storage service itself are retried inside the Azure SDK's own pipeline, not here.
/// </summary>
public sealed class ConflictRetry
{
    /// <summary>Enough that a writer racing other instances effectively never gives up (each lost race means another change committed).</summary>
    public const int MaxAttempts = 20;

    private readonly ResiliencePipeline pipeline;

    public ConflictRetry(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ConcurrencyConflictException>(),
                MaxRetryAttempts = MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(500),
            })
            .Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it completes without a conflict; the last conflict escapes.</summary>
    public ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(attempt, cancellationToken);
}
