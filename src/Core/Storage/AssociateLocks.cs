namespace PresenceFunctions.Storage;

/// <summary>
/// Striped async locks, so concurrent changes to one associate inside this process queue up instead of
/// racing each other into optimistic-concurrency retries. Other processes are still handled by ETags.
/// </summary>
public sealed class AssociateLocks : IDisposable
{
    private readonly SemaphoreSlim[] stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public async ValueTask<Releaser> AcquireAsync(int associateId, CancellationToken cancellationToken)
    {
        var stripe = stripes[(uint)associateId % (uint)stripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    public void Dispose()
    {
        foreach (var stripe in stripes)
        {
            stripe.Dispose();
        }
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
