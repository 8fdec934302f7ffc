using System.Reflection;
using System.Text.Json;
using PresenceFunctions.Http;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Functions;

/// <summary>Reads the functions.metadata the Worker SDK generated at build, as the Functions host will.</summary>
public sealed class FunctionsMetadataTests
{
    private static JsonElement[] Functions() => FunctionsMetadata.Functions();

    private static JsonElement Trigger(string function) =>
        Functions().Single(f => f.GetProperty("name").GetString() == function)
            .GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static (string Route, string[] Methods)[] HttpRoutes() => FunctionsMetadata.HttpRoutes();

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

    [Fact]
    public void RebalanceTicketsIsAServiceBusTriggerOnTheTopicSubscriptionSettings()
    {
        var trigger = Trigger("RebalanceTickets");

        Assert.Equal("serviceBusTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%PresenceTopic%", trigger.GetProperty("topicName").GetString());
        Assert.Equal("%RebalanceSubscription%", trigger.GetProperty("subscriptionName").GetString());
        Assert.Equal("ServiceBusConnection", trigger.GetProperty("connection").GetString());
        Assert.Equal("One", trigger.GetProperty("cardinality").GetString());
        Assert.True(trigger.GetProperty("autoCompleteMessages").GetBoolean());
    }

    [Fact]
    public void RelayPresenceOutboxIsATimerTrigger()
    {
        var trigger = Trigger("RelayPresenceOutbox");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("*/30 * * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void RelayTicketOutboxIsATimerTriggerOnThePresenceRelaysSchedule()
    {
        var trigger = Trigger("RelayTicketOutbox");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("*/30 * * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void PurgeExpiredTicketsIsAnHourlyTimerTrigger()
    {
        var trigger = Trigger("PurgeExpiredSoTickets");

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("0 0 * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public async Task PublishingInDeclaredModeFailsAndSaysWhy()
    {
        var project = Path.GetFullPath(Path.Combine(
            typeof(FunctionsMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!,
            "..", "..", "..", "PresenceFunctions.Functions.csproj"));
        var output = Directory.CreateTempSubdirectory("presence-publish-");
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "publish", project, "--no-restore", "-nologo", "-p:ServiceBusExtension=Declared", "-o", output.FullName })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("Refusing to publish with ServiceBusExtension=Declared", await stdout + await stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(output.FullName, "PresenceFunctions.Functions.dll")));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
