using NetArchTest.Rules;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Architecture;

/// <summary>
/// Core's folders and the arrows allowed between them (docs/architecture.md draws them). A `using` that adds an
/// arrow not listed here fails <see cref="EveryDependencyBetweenCoresFoldersIsAnAllowedArrow"/>; the arrows
/// themselves must stay free of cycles.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Root = "PresenceFunctions";

    /// <summary>Folder → the folders it may use. Domain first, then adapters, then the contract.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedArrows = new Dictionary<string, string[]>
    {
        // Leaves: shared, framework-only.
        ["Concurrency"] = [],
        ["Observability"] = [],
        ["Localization"] = [],

        // The domain: its types and the ports it needs.
        ["Presence"] = ["Observability"],
        ["Tickets"] = ["Presence", "Concurrency", "Observability"],

        // Adapters implement the domain's ports.
        ["Storage"] = ["Presence", "Tickets", "Concurrency", "Observability"],
        ["Events"] = ["Presence", "Tickets", "Storage", "Concurrency", "Observability"],
        ["Auth"] = ["Presence", "Storage", "Observability"],

        // The HTTP contract uses the domain and Auth; Auth never uses it.
        ["Http"] = ["Presence", "Tickets", "Auth", "Storage", "Concurrency", "Localization", "Observability"],
        ["Health"] = ["Http", "Events", "Storage", "Presence", "Observability"],
    };

    private static readonly string[] DomainFolders = ["Presence", "Tickets", "Concurrency"];

    private static Types Core => Types.InAssembly(typeof(PresenceService).Assembly);

    /// <summary>The folder's namespace exactly (ResideInNamespace is a prefix: Presence would take PresenceServiceCollectionExtensions).</summary>
    private static PredicateList InFolder(string folder) =>
        Core.That().ResideInNamespaceMatching($@"^{Root}\.{folder}(\..+)?$");

    [Fact]
    public void EveryFolderOfCoreIsListed()
    {
        var folders = Core.GetTypes()
            .Select(t => t.Namespace ?? "")
            .Where(n => n.StartsWith(Root + ".", StringComparison.Ordinal))
            .Select(n => n[(Root.Length + 1)..].Split('.')[0])
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.Equal(AllowedArrows.Keys.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void EveryDependencyBetweenCoresFoldersIsAnAllowedArrow()
    {
        var forbidden = new List<string>();
        foreach (var (folder, allowed) in AllowedArrows)
        {
            foreach (var other in AllowedArrows.Keys.Where(o => o != folder && !allowed.Contains(o)))
            {
                var result = InFolder(folder)
                    .ShouldNot().HaveDependencyOn($"{Root}.{other}")
                    .GetResult();
                forbidden.AddRange((result.FailingTypeNames ?? []).Select(t => $"{t} ({folder} → {other})"));
            }
        }

        Assert.True(forbidden.Count == 0, "Arrows not allowed by docs/architecture.md:\n" + string.Join("\n", forbidden));
    }

    [Fact]
    public void TheAllowedArrowsHaveNoCycle()
    {
        // Kahn's algorithm: a graph without cycles empties completely.
        var remaining = AllowedArrows.ToDictionary(a => a.Key, a => a.Value.ToHashSet());
        while (remaining.FirstOrDefault(r => r.Value.Count == 0).Key is { } leaf)
        {
            remaining.Remove(leaf);
            foreach (var targets in remaining.Values)
            {
                targets.Remove(leaf);
            }
        }

        Assert.Empty(remaining.Keys);
    }

    [Fact]
    public void TheDomainKnowsNoAzureSdkAndNoAspNetCore()
    {
        foreach (var folder in DomainFolders)
        {
            var result = InFolder(folder)
                .ShouldNot().HaveDependencyOnAny("Azure", "Microsoft.AspNetCore", "Microsoft.Azure")
                .GetResult();
            Assert.True(result.IsSuccessful, $"{folder} uses Azure SDK or ASP.NET Core types: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void CoreNeverReferencesTheFunctionsWorker()
    {
        var result = Core.ShouldNot().HaveDependencyOn("Microsoft.Azure.Functions").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }
}
