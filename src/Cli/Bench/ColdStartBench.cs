using System.Diagnostics;
using System.Globalization;
using PresenceFunctions.Cli.Azurite;

namespace PresenceFunctions.Cli.Bench;

/// <summary>One build of `presence` and how long it took from process start to its first answered request.</summary>
public sealed record ColdStartRow(string Build, double[] StartMs)
{
    public double Median => StartMs.Order().ElementAt(StartMs.Length / 2);

    public double Min => StartMs.Min();
}

/// <summary>
/// Cold start of `presence serve` to its first answered request (<c>GET /api/health</c>, which reads storage),
/// published with and without ReadyToRun, started alternately against an Azurite that is already running.
/// </summary>
public sealed class ColdStartBench(string repositoryRoot, int runs)
{
    public async Task<List<ColdStartRow>> RunAsync(Action<string, double> progress, CancellationToken cancellationToken)
    {
        var builds = new (string Name, bool ReadyToRun)[] { ("JIT", false), ("ReadyToRun", true) };
        var directories = new Dictionary<string, string>();
        foreach (var (name, readyToRun) in builds)
        {
            progress($"publishing presence ({name})", 0);
            directories[name] = await PublishAsync(readyToRun, cancellationToken).ConfigureAwait(false);
        }

        await using var azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, cancellationToken).ConfigureAwait(false);
        var times = builds.ToDictionary(b => b.Name, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, _) in builds)
            {
                progress($"cold starts ({name})", (double)run / runs);
                times[name].Add(await StartOnceAsync(directories[name], azurite.ConnectionString, cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var directory in directories.Values)
        {
            Directory.Delete(directory, recursive: true);
        }

        return [.. builds.Select(b => new ColdStartRow(b.Name, [.. times[b.Name]]))];
    }

    private async Task<string> PublishAsync(bool readyToRun, CancellationToken cancellationToken)
    {
        var output = Directory.CreateTempSubdirectory("presence-bench-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repositoryRoot };
        foreach (var argument in new[]
        {
            "publish", Path.Combine("src", "Cli", "PresenceFunctions.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
            "-p:ServiceBusExtension=Declared", "-p:PublishReadyToRun=" + (readyToRun ? "true" : "false"), "-o", output, "-nologo",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException("dotnet publish failed:" + Environment.NewLine + await log.ConfigureAwait(false) + await errors.ConfigureAwait(false));
    }

    private static async Task<double> StartOnceAsync(string directory, string connectionString, CancellationToken cancellationToken)
    {
        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo(Path.Combine(directory, "presence")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        start.Environment["PresenceStorage"] = connectionString;
        start.Environment["Serve__Timers"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/api/health")), cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            throw new TimeoutException("presence serve did not answer within 60 seconds.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
