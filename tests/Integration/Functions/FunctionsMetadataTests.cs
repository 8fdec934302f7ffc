using System.Reflection;
using System.Text.Json;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Integration.Functions;

/// <summary>Reads the functions.metadata the Worker SDK generated at build, as the Functions host will.</summary>
public sealed class FunctionsMetadataTests
{
    private static JsonElement[] Functions()
    {
        var output = typeof(FunctionsMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FunctionsOutput").Value!;
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static (string Route, string[] Methods)[] HttpRoutes() =>
    [
        .. from f in Functions()
           from b in f.GetProperty("bindings").EnumerateArray()
           where b.GetProperty("type").GetString() == "httpTrigger"
           select (b.GetProperty("route").GetString()!, b.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order().ToArray()),
    ];

    [Theory]
    [InlineData("v1/Agents/User/SetUserPresenceStatus", "POST")]
    [InlineData("v1/Agents/User/GetUserPresenceStatus", "POST")]
    [InlineData("v1/User/{associateId}/UserPresenceStatus", "GET")]
    [InlineData("v1/User/{associateId}/UserPresenceStatus", "PUT")]
    public void TheFourContractRoutesAreDeclared(string route, string method)
    {
        Assert.Contains(HttpRoutes(), r => r.Route == route && r.Methods.SequenceEqual([method]));
    }

    [Fact]
    public void TheDeclaredRoutesAreThoseRouteFallbackKnows()
    {
        var declared = HttpRoutes().Where(r => r.Route != "{*path}").SelectMany(r => r.Methods.Select(m => (r.Route, m))).Order().ToList();
        var known = PresenceRoutes.All.SelectMany(r => r.Methods.Select(m => (r.Template, m))).Order().ToList();
        Assert.Equal(known, declared);
    }

    [Fact]
    public void HttpTriggersAreAnonymousBecauseTheAppAuthenticates()
    {
        var levels = from f in Functions()
                     from b in f.GetProperty("bindings").EnumerateArray()
                     where b.GetProperty("type").GetString() == "httpTrigger"
                     select b.GetProperty("authLevel").GetString();
        Assert.All(levels, l => Assert.Equal("Anonymous", l));
    }
}
