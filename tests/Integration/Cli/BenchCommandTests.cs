using System.Globalization;
using PresenceFunctions.Cli;
using PresenceFunctions.Tests.Integration.Reliability;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>
/// <c>presence bench</c>'s Set part, run for real but short: every system it compares is measured at every level and
/// reaches the report. The README's full run takes minutes, so DocumentedCommandsTests only parses it. Alone, because
/// it loads both cores for half a minute.
/// </summary>
[Collection(nameof(MeasuredAlone))]
public sealed class BenchCommandTests
{
    private static readonly string[] Systems = ["presence", "presence-rows-removed-at-once", "raw-transaction", "raw-transaction-new-row", "http-floor", "raw-transaction-delete"];

    [Fact]
    public async Task AShortSetsBenchMeasuresEverySystemAtEveryLevelAndWritesThemToTheReport()
    {
        var directory = Directory.CreateTempSubdirectory("presence-bench-").FullName;
        try
        {
            var code = await PresenceCommandLine.Create().Parse(["bench", "--only", "sets", "--seconds", "1", "--associates", "64", "--out", directory]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(0, code);
            var rows = File.ReadAllLines(Path.Combine(directory, "set-throughput.csv")).Skip(1).Select(l => l.Split(',')).ToList();
            foreach (var concurrency in new[] { "1", "8", "32" })
            {
                foreach (var system in Systems)
                {
                    var row = Assert.Single(rows, r => r[0] == concurrency && r[1] == system);
                    Assert.True(int.Parse(row[2], CultureInfo.InvariantCulture) > 0, $"{system} at {concurrency} did no operation");
                }
            }

            var page = await File.ReadAllTextAsync(Path.Combine(directory, "results.md"), TestContext.Current.CancellationToken);
            Assert.Contains("floor / raw transaction", page, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "set-throughput.png")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ABenchOverFewerAssociatesThanItsClientsIsRefusedBeforeAnythingRuns()
    {
        var directory = Path.Combine(Path.GetTempPath(), "presence-bench-" + Guid.NewGuid().ToString("N"));
        using var error = new StringWriter();

        var code = await PresenceCommandLine.Create().Parse(["bench", "--only", "sets", "--associates", "16", "--out", directory])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Error = error }, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, code);
        Assert.Contains("--associates must be at least 32", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }
}
