using System.Diagnostics;

namespace PresenceFunctions.Tests.Integration.Cli;

/// <summary>The <c>presence</c> executable the test project's build made, run as an operator runs it: its own process, exit code, standard output and error.</summary>
public static class PresenceProcess
{
    public sealed record Run(int ExitCode, string Output, string Error);

    /// <summary>The built apphost, in the same configuration as the tests.</summary>
    public static string Executable()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "src", "Cli", "bin", configuration, "net10.0", OperatingSystem.IsWindows() ? "presence.exe" : "presence");
        Assert.True(File.Exists(path), $"Build the CLI first: {path} is missing.");
        return path;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PresenceFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    /// <param name="environment">Settings for this run (storage, table names); they win over the test process's own.</param>
    public static async Task<Run> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Executable(), args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("presence did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Run(process.ExitCode, await output, await error);
    }
}
