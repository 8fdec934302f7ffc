namespace PresenceFunctions.Tickets;

/// <summary>The ticket or category named in the route does not exist (HTTP answers 404).</summary>
public sealed class TicketNotFoundException : Exception
{
    public TicketNotFoundException()
    {
    }

    public TicketNotFoundException(string message)
        : base(message)
    {
    }

    public TicketNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
