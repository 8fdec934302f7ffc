using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace PresenceFunctions.Tests.Infra;

/// <summary>
/// A normal `dotnet build` of the solution says nothing but what it built: no warning from any project, the Functions
/// SDK's generated WorkerExtensions project included. It builds a copy of the working tree's sources (tracked and new
/// files, no bin/obj/node_modules) in a folder of its own, so it never shares outputs with the build running the tests.
/// Costs one full solution build: 2–4 minutes on the 2-core build machine.
/// </summary>
public sealed partial class BuildWarningsTests
{
    private static readonly string Root = typeof(BuildWarningsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public async Task BuildingTheSolutionFromCleanSourcesPrintsNoWarning()
    {
        var copy = Directory.CreateTempSubdirectory("presence-build").FullName;
        try
        {
            var files = await RunAsync(Root, "git", "ls-files", "--cached", "--others", "--exclude-standard", "-z");
            Assert.True(files.ExitCode == 0, files.Output);
            foreach (var file in files.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var source = Path.Combine(Root, file);
                if (File.Exists(source))
                {
                    var target = Path.Combine(copy, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(source, target);
                }
            }

            var started = Stopwatch.StartNew();
            var build = await RunAsync(copy, "dotnet", "build", "PresenceFunctions.sln", "-tl:off", "-nologo", "-nodeReuse:false");
            Assert.True(build.ExitCode == 0, $"The build failed:\n{build.Output}");
            // Every line that says "warning", except MSBuild's summary when it counted none.
            var warnings = build.Output.Split('\n').Where(l => Warning().IsMatch(l) && !NoWarnings().IsMatch(l)).Distinct().ToList();
            Assert.True(warnings.Count == 0, $"The build warned ({started.Elapsed:mm\\:ss}):\n{string.Join('\n', warnings)}");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"\bwarning\b", RegexOptions.IgnoreCase)]
    private static partial Regex Warning();

    [GeneratedRegex(@"^\s*0 Warning\(s\)\s*$")]
    private static partial Regex NoWarnings();
}
