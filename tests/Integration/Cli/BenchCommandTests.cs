using System.Globalization;
using PresenceFunctions.Cli;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>
/// <c>presence bench</c>'s Set part, run for real but short: every system it compares is measured at every level and
/// reaches the report. The README's full run takes minutes, so DocumentedCommandsTests only parses it.
/// </summary>
public sealed class BenchCommandTests
{
    private static readonly string[] Systems = ["presence", "presence-rows-removed-at-once", "raw-transaction", "raw-transaction-new-row", "http-floor", "raw-transaction-delete"];

    [Fact]
    public async Task AShortSetsBenchMeasuresEverySystemAtEveryLevelAndReportsTheFloorBesideTheRawTransaction()
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
                    Assert.True(double.Parse(row[5], CultureInfo.InvariantCulture) > 0, $"{system} at {concurrency} has no p50");
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
}
