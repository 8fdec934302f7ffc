using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli;
using PresenceFunctions.Cli.Credentials;
using PresenceFunctions.Cli.Serve;
using PresenceFunctions.Cli.Settings;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>
/// Every <c>presence</c> command the README, the docs and the CLI's own hints show, run in-process exactly
/// as shown and once more without its optional flags, against the test Azurite with tables of its own.
/// The commands are read from the documents, so a newly documented command is run without anyone adding it here.
/// </summary>
public sealed partial class DocumentedCommandsTests(AzuriteFixture azurite)
{
    private static readonly string Root = RepositoryRoot();

    public static TheoryData<string> Documented => [.. DocumentedLines()];

    [Fact]
    public void TheDocumentsShowEveryVerbAndTheServeHintsAreAmongTheCommands()
    {
        var lines = DocumentedLines();
        foreach (var verb in new[] { "serve", "credentials add-user", "credentials issue-ticket", "credentials revoke-ticket", "credentials remove-user", "credentials purge-tickets", "seed", "tickets" })
        {
            Assert.Contains(lines, l => Command(l).Args is var args && string.Join(' ', args).StartsWith(verb, StringComparison.Ordinal));
        }

        Assert.All(ServeCommand.NoUserHints, hint => Assert.Contains(hint, lines));
    }

    [Theory]
    [MemberData(nameof(Documented))]
    public Task EveryDocumentedCommandRunsExactlyAsShown(string line) => RunDocumentedAsync(line, withoutOptionalFlags: false);

    [Theory]
    [MemberData(nameof(Documented))]
    public Task EveryDocumentedCommandRunsWithoutItsOptionalFlags(string line) => RunDocumentedAsync(line, withoutOptionalFlags: true);

    [Fact]
    public async Task IssueTicketWithoutTtlIssuesAnEightHourTicket()
    {
        var context = NewContext();
        var run = await RunAsync(context, "credentials", "issue-ticket", "--associate-id", "13");
        Assert.True(run.ExitCode == 0, run.Error);
        var ticket = await FindSoTicketAsync(context, run.Output);
        Assert.Equal(TimeSpan.FromHours(8), ticket.ExpiresAt - ticket.IssuedAt);
    }

    [Theory]
    [InlineData("31d", null)]
    [InlineData("2h", "01:00:00")]
    public async Task IssueTicketLongerThanTheMaximumIsRefusedWithAClearMessageAndIssuesNothing(string ttl, string? maximum)
    {
        var context = NewContext(settings: maximum is null ? null : new Dictionary<string, string?> { ["Auth:MaxTicketLifetime"] = maximum });
        var run = await RunAsync(context, "credentials", "issue-ticket", "--associate-id", "13", "--ttl", ttl);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Auth__MaxTicketLifetime", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("7T:", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8x")]
    [InlineData("-1h")]
    [InlineData("soon")]
    public async Task IssueTicketWithATtlThatIsNotADurationIsRefused(string ttl)
    {
        var run = await RunAsync(NewContext(), "credentials", "issue-ticket", "--associate-id", "13", "--ttl", ttl);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--ttl must be a duration", run.Error, StringComparison.Ordinal);
    }

    private async Task RunDocumentedAsync(string line, bool withoutOptionalFlags)
    {
        var (input, shown) = Command(line);
        var context = NewContext(input);
        var args = shown.Select(a => a switch { "NAME" => "hint-user", "N" => "42", _ => a }).ToList();
        if (withoutOptionalFlags)
        {
            args = WithoutOptionalFlags(args);
        }

        var verb = args[0] == "credentials" && args.Count > 1 ? "credentials " + args[1] : args[0];
        if (verb is "serve" or "bench")
        {
            // Running them means a server or minutes of load: that parsing and validation pass is what can break here.
            Assert.Empty(PresenceCommandLine.Create(context).Parse(args).Errors);
            return;
        }

        // What the command needs to exist first, made with the CLI itself.
        switch (verb)
        {
            case "credentials revoke-ticket":
                var issued = await RunAsync(context, "credentials", "issue-ticket", "--associate-id", "260");
                args[2] = TicketOf(issued.Output);
                break;
            case "credentials remove-user":
                Assert.Equal(0, (await RunAsync(context, "credentials", "add-user", args[2], "--associate-id", "260", "--password", "pw")).ExitCode);
                break;
            case "tickets":
                Assert.Equal(0, (await RunAsync(context, "seed", "samples/tickets.json")).ExitCode);
                break;
        }

        var run = await RunAsync(context, [.. args]);
        Assert.True(run.ExitCode == 0, $"`{string.Join(' ', args)}` exited {run.ExitCode}: {run.Error}{run.Output}");
        Assert.Equal("", run.Error);
        var store = Store(context);
        var ct = TestContext.Current.CancellationToken;
        switch (verb)
        {
            case "credentials add-user":
                Assert.Matches("^(Added|Updated) user ", run.Output);
                var user = await store.FindUserAsync(args[2], ct);
                Assert.NotNull(user);
                Assert.Equal(int.Parse(Value(args, "--associate-id")!, CultureInfo.InvariantCulture), user.AssociateId);
                Assert.Equal(args.Contains("--admin"), user.IsAdministrator);
                break;
            case "credentials issue-ticket":
                var ticket = await FindSoTicketAsync(context, run.Output);
                Assert.True(Durations.TryParse(Value(args, "--ttl") ?? "8h", out var ttl));
                Assert.Equal(ttl, ticket.ExpiresAt - ticket.IssuedAt);
                Assert.Equal(args.Contains("--admin"), ticket.IsAdministrator);
                break;
            case "credentials revoke-ticket":
                Assert.Equal("Revoked.", run.Output.Trim());
                Assert.Null(await store.FindSoTicketAsync(args[2], ct));
                break;
            case "credentials remove-user":
                Assert.Null(await store.FindUserAsync(args[2], ct));
                break;
            case "credentials purge-tickets":
                Assert.Matches(@"^Removed \d+ expired tickets\.", run.Output);
                break;
            case "seed":
                Assert.Contains("Seeded 3 categories, 14 tickets and 4 presences.", run.Output, StringComparison.Ordinal);
                break;
            case "tickets" when args.Contains("--json"):
                var rows = JsonDocument.Parse(run.Output).RootElement.EnumerateArray().ToList();
                Assert.NotEmpty(rows);
                Assert.All(rows, r => Assert.True(Value(args, "--category") is not { } c || r.GetProperty("categoryId").GetInt32().ToString(CultureInfo.InvariantCulture) == c));
                break;
            case "tickets":
                Assert.Matches(@"\d+ tickets", run.Output);
                break;
            default:
                Assert.Fail($"No test knows how to check `{line}`: teach {nameof(DocumentedCommandsTests)} what it should do.");
                break;
        }
    }

    private CliContext NewContext(string? input = null, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["PresenceStorage"] = azurite.ConnectionString,
            ["Tables:Presence"] = "p" + Guid.NewGuid().ToString("N"),
            ["Tables:Credentials"] = "c" + Guid.NewGuid().ToString("N"),
            ["Tables:Tickets"] = "t" + Guid.NewGuid().ToString("N"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new CliContext(all, new StringReader((input ?? "from-standard-input") + "\n"), Root);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(CliContext context, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PresenceCommandLine.Create(context).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static CredentialStore Store(CliContext context) =>
        StorageServices.Build(context.Settings).GetRequiredService<CredentialStore>();

    private static async Task<SoTicketEntity> FindSoTicketAsync(CliContext context, string output)
    {
        var ticket = await Store(context).FindSoTicketAsync(TicketOf(output), TestContext.Current.CancellationToken);
        Assert.NotNull(ticket);
        return ticket;
    }

    private static string TicketOf(string output) => TicketLine().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("No ticket in: " + output);

    private static string? Value(List<string> args, string option) => args.IndexOf(option) is var i and >= 0 && i + 1 < args.Count ? args[i + 1] : null;

    /// <summary>The same command with every option that is not required left out (and its value, unless it is a flag).</summary>
    private static List<string> WithoutOptionalFlags(List<string> args)
    {
        var command = PresenceCommandLine.Create().Parse(args).CommandResult.Command;
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var option = command.Options.FirstOrDefault(o => o.Name == args[i] || o.Aliases.Contains(args[i]));
            if (option is { Required: false })
            {
                i += option.ValueType == typeof(bool) ? 0 : 1;
                continue;
            }

            kept.Add(args[i]);
        }

        return kept;
    }

    /// <summary>A documented line as the shell would run it: what is piped in, and the arguments after <c>--</c>.</summary>
    private static (string? Input, List<string> Args) Command(string line)
    {
        var match = Invocation().Match(line);
        var args = Split(match.Groups["args"].Value);
        var echo = EchoPipe().Match(line);
        return (echo.Success ? echo.Groups[1].Value : null, args);
    }

    private static List<string> Split(string text)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                any = true;
            }
            else if (c == '#' && current.Length == 0)
            {
                break;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || any)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0 || any)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    /// <summary>Every CLI line in a fenced <c>sh</c> block of README.md and docs/, and the hints serve prints.</summary>
    private static List<string> DocumentedLines()
    {
        var documents = new[] { Path.Combine(Root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"));
        var lines = new List<string>();
        foreach (var document in documents)
        {
            var inShell = false;
            foreach (var raw in File.ReadLines(document))
            {
                var text = raw.Trim();
                if (text.StartsWith("```", StringComparison.Ordinal))
                {
                    inShell = !inShell && text is "```sh" or "```bash" or "```shell";
                    continue;
                }

                if (inShell && (Invocation().IsMatch(text) || text.StartsWith("presence ", StringComparison.Ordinal)))
                {
                    lines.Add(text);
                }
            }
        }

        lines.AddRange(ServeCommand.NoUserHints);
        return [.. lines.Distinct()];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PresenceFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [GeneratedRegex(@"(?:dotnet run (?:-c \S+ )?--project src/Cli --|^presence)\s+(?<args>.*)$")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"^echo '([^']*)' \|")]
    private static partial Regex EchoPipe();

    [GeneratedRegex(@"Ticket:\s+(7T:\S+)")]
    private static partial Regex TicketLine();
}
