namespace PresenceFunctions.Presence;

/// <summary>The actor may not make this change (HTTP answers 403 with the field at fault).</summary>
public sealed class ForbiddenChangeException : Exception
{
    public ForbiddenChangeException()
    {
    }

    public ForbiddenChangeException(string message)
        : base(message)
    {
    }

    public ForbiddenChangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ForbiddenChangeException(string message, string field)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The request field the refusal is about.</summary>
    public string Field { get; } = "";
}
