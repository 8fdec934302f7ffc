using System.Globalization;

namespace PresenceFunctions.Cli.Azurite;

/// <summary>Azurite's well-known account, and which table endpoint a connection string points at.</summary>
public static class DevelopmentStorage
{
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's published development key: not a secret.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const int DefaultTablePort = 10002;

    public static string ConnectionString(int tablePort) => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};");

    /// <summary>The table endpoint of a connection string when it is on this machine (Azurite's place), else null.</summary>
    public static Uri? LocalTableEndpoint(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var parts = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.OrdinalIgnoreCase);

        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && bool.TryParse(development, out var yes) && yes)
        {
            return new Uri($"http://127.0.0.1:{DefaultTablePort}/{AccountName}");
        }

        return parts.TryGetValue("TableEndpoint", out var endpoint)
            && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && uri.IsLoopback
            ? uri
            : null;
    }
}
