using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace PresenceFunctions.Cli.Settings;

/// <summary>Reads the <c>Values</c> of local.settings.json as Core Tools does, <c>__</c> standing for a section separator.</summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder builder, string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return builder;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject())
            {
                values[property.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }

        return builder.AddInMemoryCollection(values);
    }

    /// <summary>local.settings.json in the current directory, else beside the nearest host.json above it.</summary>
    public static string? Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, FileName);
            if (File.Exists(candidate) || File.Exists(Path.Combine(directory.FullName, "host.json")))
            {
                return File.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
