using Azure;
using Azure.Data.Tables;

namespace PresenceFunctions.Auth;

/// <summary>A user for Basic authentication: partition <c>user</c>, row = the escaped lower-case user name.</summary>
public sealed class UserEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>ASP.NET Core Identity's salted PBKDF2 hash (format v3).</summary>
    public string PasswordHash { get; set; } = "";

    public int AssociateId { get; set; }

    public bool IsAdministrator { get; set; }
}

/// <summary>An issued ticket, stored only as hashes: partition <c>ticket-{first two hex}</c>, row = SHA-256 of the ticket.</summary>
public sealed class SoTicketEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int AssociateId { get; set; }

    public bool IsAdministrator { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>SHA-256 of the XSRF token issued with the ticket, for cookie authentication.</summary>
    public string XsrfHash { get; set; } = "";
}

/// <summary>A ticket as issued: the only time its secrets are seen in clear.</summary>
public sealed record IssuedSoTicket(string Ticket, string XsrfToken, DateTimeOffset ExpiresAt);
