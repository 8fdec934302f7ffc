using System.Text.Json;

namespace PresenceFunctions.Cli.Output;

/// <summary>What <c>--json</c> writes: web (camelCase) names, indented, one document on standard output.</summary>
public static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write<T>(TextWriter output, T value)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(value, Options));
    }
}
