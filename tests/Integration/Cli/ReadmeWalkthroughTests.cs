using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>
/// The README's walkthroughs, run as a newcomer runs them: <c>presence serve</c> (as the section shows it) as its own
/// process in "one terminal", then the second block's lines with bash in another — curl as shown, the CLI as the built
/// <c>presence</c> (first on PATH, as the README's install puts it; the <c>dotnet run</c> form mapped to it too), <c>sleep</c> for real — each answer held to the comment under it (… stands for anything). Only the
/// port (a free one, not 7071) and the storage (the test Azurite, tables of its own, through the environment) differ
/// from the README.
/// </summary>
public sealed partial class ReadmeWalkthroughTests(AzuriteFixture azurite)
{
    private const string Run = "dotnet run --project src/Cli --";

    /// <summary>The ticket walkthrough (serve --events, tickets moved when someone goes away) and the expiry one (away for PT10S, back within 40 s).</summary>
    [Theory]
    [InlineData("### Try it: tickets assigned on arrival")]
    [InlineData("### Try it: away for ten seconds")]
    public async Task TheWalkthroughAnswersAsTheReadmeShows(string section)
    {
        var blocks = ShellBlocksOf(section);
        Assert.Equal(2, blocks.Count);
        var serve = Assert.Single(blocks[0]).Command;
        Assert.StartsWith("presence serve", serve, StringComparison.Ordinal);

        var port = PresenceFunctions.Cli.Azurite.AzuriteProcess.FreePort();
        var directory = Directory.CreateTempSubdirectory("walkthrough").FullName;
        var environment = new Dictionary<string, string>
        {
            ["PresenceStorage"] = azurite.ConnectionString,
            ["Tables__Presence"] = "p" + Guid.NewGuid().ToString("N"),
            ["Tables__Credentials"] = "c" + Guid.NewGuid().ToString("N"),
            ["Tables__Tickets"] = "t" + Guid.NewGuid().ToString("N"),

            // `presence` resolves to the built apphost, as after the README's `export PATH=…` or tool install.
            ["PATH"] = Path.GetDirectoryName(PresenceProcess.Executable()) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };

        using var server = Start(Shell(serve, port) + $" --urls http://127.0.0.1:{port}", directory, environment);
        try
        {
            await WaitUntilListeningAsync(port, server);
            var script = new StringBuilder("set +e\n");
            for (var i = 0; i < blocks[1].Count; i++)
            {
                script.Append(CultureInfo.InvariantCulture, $"{Shell(blocks[1][i].Command, port)} > out{i} 2> err{i}; echo $? > rc{i}\n");
            }

            using var terminal = Start(script.ToString(), directory, environment);
            await terminal.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);

            for (var i = 0; i < blocks[1].Count; i++)
            {
                var (command, expected) = blocks[1][i];
                var output = File.ReadAllText(Path.Combine(directory, $"out{i}")).Trim();
                var error = File.ReadAllText(Path.Combine(directory, $"err{i}"));
                Assert.True(File.ReadAllText(Path.Combine(directory, $"rc{i}")).Trim() == "0", $"`{command}` failed: {output} {error}");
                if (expected is not null)
                {
                    Assert.True(Matches(expected, output), $"`{command}`\nREADME shows: {expected}\nanswered:     {output}");
                }
            }
        }
        finally
        {
            Stop(server);
        }
    }

    /// <summary>The README's line as bash runs it here: the built CLI for <c>dotnet run</c>, the test's port for 7071.</summary>
    private static string Shell(string command, int port) =>
        command.Replace(Run, $"\"{PresenceProcess.Executable()}\"", StringComparison.Ordinal)
            .Replace("127.0.0.1:7071", $"127.0.0.1:{port}", StringComparison.Ordinal);

    private static bool Matches(string expected, string output) =>
        Regex.IsMatch(output, "^" + string.Join(".*", expected.Split('…').Select(Regex.Escape)) + "$", RegexOptions.Singleline, TimeSpan.FromSeconds(5));

    /// <summary>The sh blocks after a heading, up to the next heading: each command (continuation lines joined) with the comment under it.</summary>
    private static List<List<(string Command, string? Expected)>> ShellBlocksOf(string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(Root(), "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"The README has no section {heading}.");
        var blocks = new List<List<(string, string?)>>();
        List<(string Command, string? Expected)>? block = null;
        var pending = "";
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#') || block is not null))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                block = block is null && line == "```sh" ? [] : null;
                if (block is not null)
                {
                    blocks.Add(block);
                }

                continue;
            }

            if (block is null)
            {
                continue;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                block[^1] = (block[^1].Command, line[2..].Trim());
            }
            else if (line.EndsWith('\\'))
            {
                pending += line[..^1];
            }
            else if (!string.IsNullOrWhiteSpace(line))
            {
                block.Add((pending + line, null));
                pending = "";
            }
        }

        return blocks;
    }

    private static Process Start(string script, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilListeningAsync(int port, Process server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (DateTimeOffset.UtcNow < deadline)
        {
            Assert.False(server.HasExited, "presence serve exited before it listened.");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"), TestContext.Current.CancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        Assert.Fail("presence serve did not listen within a minute.");
    }

    /// <summary>The whole tree: bash and the serve it started.</summary>
    private static void Stop(Process server)
    {
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PresenceFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
