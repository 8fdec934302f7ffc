namespace PresenceFunctions.Storage;

/// <summary>A change kept losing the optimistic-concurrency race and gave up after its bounded retries.</summary>
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
