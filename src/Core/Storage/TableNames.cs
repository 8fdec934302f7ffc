namespace PresenceFunctions.Storage;

/// <summary>Table names (settings <c>Tables__Presence</c> and so on); tests give each test its own.</summary>
public sealed class TableNames
{
    public const string Section = "Tables";

    public string Presence { get; set; } = "Presence";

    /// <summary>Categories, members and tickets: what the rebalancer moves.</summary>
    public string Tickets { get; set; } = "Tickets";

    /// <summary>Users (PBKDF2 password hashes) and tickets (SHA-256 hashes).</summary>
    public string Credentials { get; set; } = "Credentials";
}
