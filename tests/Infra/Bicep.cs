using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace PresenceFunctions.Tests.Infra;

/// <summary>The bicep CLI from the restored NuGet package, run on infra/.</summary>
public static class Bicep
{
    public static string Executable => Metadata("BicepPath");

    public static string InfraDirectory => Path.GetFullPath(Path.Combine(Metadata("RepositoryRoot"), "infra"));

    private static readonly Lazy<JsonObject> Compiled = new(() =>
    {
        var (exitCode, output) = Run("build", Path.Combine(InfraDirectory, "main.bicep"), "--stdout");
        return exitCode == 0
            ? (JsonObject)JsonNode.Parse(output)!
            : throw new InvalidOperationException("bicep build failed: " + output);
    });

    /// <summary>infra/main.bicep compiled to its ARM template.</summary>
    public static JsonObject Template => Compiled.Value;

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Every resource in the template, modules' nested templates included.</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject? template = null)
    {
        template ??= Template;
        var resources = template["resources"] switch
        {
            JsonObject symbolic => symbolic.Select(p => p.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var resource in resources.OfType<JsonObject>())
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Resources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The nested template of a module (its deployment resource's name expression mentions the module).</summary>
    public static IEnumerable<JsonObject> ModuleTemplates(JsonObject? template = null)
    {
        foreach (var resource in Resources(template ?? Template))
        {
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                yield return nested;
            }
        }
    }

    /// <summary>
    /// Every role assignment as (role definition GUID, scope expression, conditional), with the module's
    /// variables resolved and copy loops over a variable array expanded to one entry per element.
    /// </summary>
    public static IEnumerable<(string Role, string Scope, bool Conditional)> RoleAssignments()
    {
        foreach (var module in ModuleTemplates())
        {
            var variables = module["variables"] as JsonObject ?? [];
            foreach (var assignment in Resources(module).Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments"))
            {
                var expression = (string)assignment["properties"]!["roleDefinitionId"]!;
                var scope = (string)assignment["scope"]!;
                var conditional = assignment["condition"] is not null;
                foreach (var role in Resolve(expression, variables))
                {
                    yield return (role, scope, conditional);
                }
            }
        }
    }

    private static IEnumerable<string> Resolve(string expression, JsonObject variables)
    {
        var match = System.Text.RegularExpressions.Regex.Match(expression, @"variables\('(\w+)'\)(\[copyIndex\(\)\])?");
        if (!match.Success)
        {
            return [expression];
        }

        var value = variables[match.Groups[1].Value];
        var values = match.Groups[2].Success ? value!.AsArray().Select(v => (string)v!) : [(string)value!];
        return values.SelectMany(v => v.StartsWith('[') ? Resolve(v, variables) : [v]);
    }

    public static IEnumerable<JsonObject> OfType(string type) =>
        Resources().Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    private static string Metadata(string key) =>
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
