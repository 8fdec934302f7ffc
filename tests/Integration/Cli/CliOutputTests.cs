using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>
/// Each operator verb as a person and a script see it, run as the built <c>presence</c> process: the answer alone on
/// standard output (singular and plural right, JSON with <c>--json</c>), log lines only with <c>--verbose</c> and then on
/// standard error, and every failure one line on standard error with a non-zero exit code (2 for bad input, 1 otherwise).
/// </summary>
public sealed class CliOutputTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly string Samples = Path.Combine(PresenceProcess.RepositoryRoot(), "samples", "tickets.json");

    private readonly string directory = Directory.CreateTempSubdirectory("cli-output").FullName;

    private readonly Dictionary<string, string> environment = new()
    {
        ["PresenceStorage"] = azurite.ConnectionString,
        ["Tables__Presence"] = "p" + Guid.NewGuid().ToString("N"),
        ["Tables__Credentials"] = "c" + Guid.NewGuid().ToString("N"),
        ["Tables__Tickets"] = "t" + Guid.NewGuid().ToString("N"),
    };

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task SeedPrintsOnlyItsSummaryLine()
    {
        var run = await RunAsync("seed", Samples);
        AssertSucceeded(run);
        Assert.Equal("Seeded 3 categories, 14 tickets and 4 presences." + Environment.NewLine, run.Output);
    }

    [Fact]
    public async Task SeedWithJsonPrintsTheCountsAsOneJsonDocument()
    {
        var run = await RunAsync("seed", Samples, "--json");
        AssertSucceeded(run);
        var summary = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(3, summary.GetProperty("categories").GetInt32());
        Assert.Equal(14, summary.GetProperty("tickets").GetInt32());
        Assert.Equal(4, summary.GetProperty("presences").GetInt32());
    }

    [Fact]
    public async Task SeedOfAMissingFileExitsTwoWithOneLineOnStandardErrorAndWritesNothing()
    {
        var run = await RunAsync("seed", "no-such-seed.json", "--json");
        AssertFailed(run, 2, "No such file");
        Assert.Empty(AssertSucceededAndRows(await RunAsync("tickets", "--json")));
    }

    [Fact]
    public async Task SeedWithVerbosePrintsLibraryLogLinesOnStandardErrorOnly()
    {
        var run = await RunAsync("seed", Samples, "--verbose");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Seeded 3 categories, 14 tickets and 4 presences." + Environment.NewLine, run.Output);
        Assert.Contains("Azure.Core", run.Error, StringComparison.Ordinal);
        Assert.Contains("PresenceFunctions.Storage.PresenceStore", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketsCountsOneTicketInTheSingularAndMoreInThePlural()
    {
        AssertSucceeded(await RunAsync("seed", Samples));

        var one = await RunAsync("tickets", "--owner", "3", "--category", "30");
        AssertSucceeded(one);
        Assert.Contains("3003", one.Output, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine + "1 ticket" + Environment.NewLine, one.Output, StringComparison.Ordinal);

        var five = await RunAsync("tickets", "--owner", "1");
        AssertSucceeded(five);
        Assert.EndsWith(Environment.NewLine + "5 tickets" + Environment.NewLine, five.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TicketsWithJsonPrintsTheFilteredTicketsAsAJsonArray()
    {
        AssertSucceeded(await RunAsync("seed", Samples));
        var rows = AssertSucceededAndRows(await RunAsync("tickets", "--owner", "1", "--json"));
        Assert.Equal([1001, 1002, 1003, 3001, 3002], rows.Select(r => r.GetProperty("id").GetInt32()));
        Assert.All(rows, r => Assert.Equal(1, r.GetProperty("ownerId").GetInt32()));
    }

    [Theory]
    [InlineData("--owner", "-1", "--owner must be 0")]
    [InlineData("--category", "0", "--category must be a positive integer")]
    [InlineData("--category", "ten", "ten")]
    public async Task TicketsWithABadFilterExitsTwoWithOneLineNamingTheHelp(string option, string value, string message)
    {
        var run = await RunAsync("tickets", option, value, "--json");
        AssertFailed(run, 2, message);
        Assert.Contains("presence tickets --help", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("credentials issue-ticket --associate-id ten", "presence credentials issue-ticket --help")]
    [InlineData("credentials add-user anna --password pw --associate-id 2.5", "presence credentials add-user --help")]
    [InlineData("credentials purge-tickets --max lots", "presence credentials purge-tickets --help")]
    public async Task ANumberOptionGivenSomethingElseExitsTwoWithOneLineInsteadOfCrashing(string line, string help)
    {
        var run = await RunAsync(line.Split(' '));
        AssertFailed(run, 2, help);
    }

    [Fact]
    public async Task TicketsAgainstStorageThatRefusesTheKeyExitsOneWithOneLineSayingWhatToCheck()
    {
        environment["PresenceStorage"] = azurite.ConnectionString.Replace("AccountKey=", "AccountKey=AAAA", StringComparison.Ordinal);
        var run = await RunAsync("tickets", "--json");
        AssertFailed(run, 1, "check PresenceStorage");
    }

    [Fact]
    public async Task AddUserSaysWhatItAddedAndWithoutAPasswordExitsTwo()
    {
        var added = await RunAsync("credentials", "add-user", "anna", "--associate-id", "260", "--password", "pw");
        AssertSucceeded(added);
        Assert.Equal("Added user anna (associate 260)." + Environment.NewLine, added.Output);

        // Standard input is closed: no password to read.
        AssertFailed(await RunAsync("credentials", "add-user", "bert", "--associate-id", "261"), 2, "A password is required");
    }

    [Fact]
    public async Task IssueTicketPrintsTheTicketForPeopleAndAsJsonForScripts()
    {
        var human = await RunAsync("credentials", "issue-ticket", "--associate-id", "260");
        AssertSucceeded(human);
        Assert.Matches(@"^Ticket:\s+7T:\S+\r?\nXSRF token: \S+\r?\nExpires: ", human.Output);

        var json = await RunAsync("credentials", "issue-ticket", "--associate-id", "260", "--admin", "--ttl", "2h", "--json");
        AssertSucceeded(json);
        var issued = JsonDocument.Parse(json.Output).RootElement;
        Assert.StartsWith("7T:", issued.GetProperty("ticket").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(issued.GetProperty("xsrfToken").GetString()));
        Assert.Equal(260, issued.GetProperty("associateId").GetInt32());
        Assert.True(issued.GetProperty("administrator").GetBoolean());
        var expires = issued.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(expires, TimeSpan.FromHours(1.5), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task IssueTicketLongerThanAllowedExitsTwoWithOneLineAndNoTicket()
    {
        var run = await RunAsync("credentials", "issue-ticket", "--associate-id", "260", "--ttl", "31d", "--json");
        AssertFailed(run, 2, "Auth__MaxTicketLifetime");
    }

    [Fact]
    public async Task RevokeTicketRevokesAKnownTicketAndExitsOneForAnUnknownOne()
    {
        var issued = JsonDocument.Parse((await RunAsync("credentials", "issue-ticket", "--associate-id", "260", "--json")).Output).RootElement.GetProperty("ticket").GetString()!;
        var revoked = await RunAsync("credentials", "revoke-ticket", issued);
        AssertSucceeded(revoked);
        Assert.Equal("Revoked." + Environment.NewLine, revoked.Output);

        AssertFailed(await RunAsync("credentials", "revoke-ticket", issued), 1, "nothing to revoke");
    }

    [Fact]
    public async Task RemoveUserRemovesAKnownUserAndExitsOneForAnUnknownOne()
    {
        AssertSucceeded(await RunAsync("credentials", "add-user", "carl", "--associate-id", "262", "--password", "pw"));
        var removed = await RunAsync("credentials", "remove-user", "CARL");
        AssertSucceeded(removed);
        Assert.Equal("Removed user CARL." + Environment.NewLine, removed.Output);

        AssertFailed(await RunAsync("credentials", "remove-user", "carl"), 1, "No user carl");
    }

    [Fact]
    public async Task PurgeTicketsCountsWhatItRemovedAndRefusesANonPositiveMax()
    {
        var run = await RunAsync("credentials", "purge-tickets");
        AssertSucceeded(run);
        Assert.Equal("Removed 0 expired tickets." + Environment.NewLine, run.Output);

        AssertFailed(await RunAsync("credentials", "purge-tickets", "--max", "0"), 2, "--max must be a positive integer");
    }

    [Fact]
    public async Task ServeOnAPortInUseExitsOneWithOneLineSayingWhatToDo()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var run = await RunAsync("serve", "--urls", $"http://127.0.0.1:{port}");
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("pass --urls with another port." + Environment.NewLine, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ServeOnAnAddressNotOfThisMachineSaysItCannotListenThereNotThatNodeIsMissing()
    {
        // 192.0.2.1 is TEST-NET-1: never this machine's. A socket error is a Win32Exception too, once taken for "no node".
        var run = await RunAsync("serve", "--urls", "http://192.0.2.1:7071");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Cannot listen there", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Node.js", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task AMistypedPasswordOptionNeverEchoesThePassword()
    {
        var run = await RunAsync("credentials", "add-user", "anna", "--associate-id", "260", "--pasword", "S3cret-Typed");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.DoesNotContain("S3cret-Typed", run.Error, StringComparison.Ordinal);
        Assert.Contains("--pasword", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPrintsTheVersionAndExitsZero()
    {
        var run = await RunAsync("--version");
        AssertSucceeded(run);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Output);
    }

    [Fact]
    public async Task AnUnknownVerbExitsTwoWithOneLineNamingTheHelp()
    {
        var run = await RunAsync("tickest");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("presence --help", run.Error, StringComparison.Ordinal);
    }

    private Task<PresenceProcess.Run> RunAsync(params string[] args) => PresenceProcess.RunAsync(environment, directory, args);

    private static void AssertSucceeded(PresenceProcess.Run run)
    {
        Assert.True(run.ExitCode == 0, $"exited {run.ExitCode}: {run.Error}");
        Assert.Equal("", run.Error);
    }

    private static List<JsonElement> AssertSucceededAndRows(PresenceProcess.Run run)
    {
        AssertSucceeded(run);
        return [.. JsonDocument.Parse(run.Output).RootElement.EnumerateArray()];
    }

    /// <summary>Nothing on standard output (not even with --json); one line on standard error.</summary>
    private static void AssertFailed(PresenceProcess.Run run, int exitCode, string message)
    {
        Assert.True(run.ExitCode == exitCode, $"exited {run.ExitCode}, not {exitCode}: {run.Error}{run.Output}");
        Assert.Equal("", run.Output);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }
}
