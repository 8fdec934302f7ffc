using System.Reflection;
using System.Text.Json;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>The functions.metadata the Worker SDK generated at build, read as the Functions host reads it.</summary>
public static class FunctionsMetadata
{
    public static JsonElement[] Functions()
    {
        var output = typeof(FunctionsMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FunctionsOutput").Value!;
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Every HTTP trigger's route and its methods, upper case and sorted.</summary>
    public static (string Route, string[] Methods)[] HttpRoutes() =>
    [
        .. from f in Functions()
           from b in f.GetProperty("bindings").EnumerateArray()
           where b.GetProperty("type").GetString() == "httpTrigger"
           select (b.GetProperty("route").GetString()!, b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order().ToArray()),
    ];
}
