namespace PresenceFunctions.Tickets;

/// <summary>Bad input the domain found (an unknown CategoryId in a body, a forged continuation token, ...): HTTP answers 400 with the field.</summary>
public sealed class TicketRequestException : Exception
{
    public TicketRequestException()
    {
    }

    public TicketRequestException(string message)
        : base(message)
    {
    }

    public TicketRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TicketRequestException(string message, string field)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The request field at fault.</summary>
    public string Field { get; } = "";
}
