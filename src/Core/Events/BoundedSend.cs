namespace PresenceFunctions.Events;

/// <summary>
/// A send right after a commit, shared by both outbox publishers: bounded by the publish timeout and never throwing.
/// A failure is handed back for the caller to log; the outbox rows stay, and the relay sends them later.
/// </summary>
internal static class BoundedSend
{
    /// <returns>Null when the step completed; else what stopped it.</returns>
    public static async Task<Exception?> TryAsync(Func<CancellationToken, Task> step, int timeoutSeconds, CancellationToken cancellationToken)
    {
        // Called after the answer, so the token is the host stopping, never a caller hanging up.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await step(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
    }
}
