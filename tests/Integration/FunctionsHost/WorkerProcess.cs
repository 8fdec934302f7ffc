using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>
/// The built worker, started as the Functions host starts a language worker: the executable and worker path from
/// worker.config.json in the app directory, the host's command-line arguments (both spellings the host passes),
/// and the environment the host sets. Killed with its process tree when disposed, or when the test process exits.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 400;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private WorkerProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    /// <summary>The worker's last lines of standard output and error, for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    public bool HasExited => process.HasExited;

    public Task Exited => process.WaitForExitAsync();

    public static WorkerProcess Start(string appDirectory, Uri hostUri, string workerId, string requestId, IReadOnlyDictionary<string, string?> environment)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        var start = new ProcessStartInfo(description.GetProperty("defaultExecutablePath").GetString()!)
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(appDirectory, description.GetProperty("defaultWorkerPath").GetString()!));
        var maxMessageLength = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] arguments =
        [
            "--host", hostUri.Host, "--port", hostUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", maxMessageLength,
            "--functions-uri", hostUri.AbsoluteUri, "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxMessageLength,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // What the host sets for a dotnet-isolated worker; the app's settings ride on the environment as in Azure.
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["AzureWebJobsScriptRoot"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var worker = new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start."));
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The worker (process {process.Id}) did not exit within 10 s of being killed.");
        }
        finally
        {
            process.Dispose();
        }
    }

    private void KillOnExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > MaxOutputLines && output.TryDequeue(out _))
        {
        }
    }
}
