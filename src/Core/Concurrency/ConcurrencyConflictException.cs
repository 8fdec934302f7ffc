namespace PresenceFunctions.Concurrency;

/// <summary>
/// A conditional write lost an optimistic-concurrency race (another writer changed the rows it read).
/// <see cref="ConflictRetry"/> retries the attempt on it; once its attempts are spent it escapes: HTTP answers
/// 503 with Retry-After, triggers let it go so the host retries the message.
/// </summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
        : base("The change lost too many concurrent-update races.")
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
