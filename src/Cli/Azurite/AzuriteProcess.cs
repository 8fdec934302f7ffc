using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace PresenceFunctions.Cli.Azurite;

/// <summary>
/// Azurite's Table service run from the repository's node_modules (installed by <c>npm ci</c>), for
/// <c>presence serve</c> and for the tests. Stopping it kills the whole node process tree.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private const string Script = "node_modules/azurite/dist/src/table/main.js";

    private readonly Process process;

    private AzuriteProcess(Process process, int tablePort)
    {
        this.process = process;
        TablePort = tablePort;
    }

    public int TablePort { get; }

    public string ConnectionString => DevelopmentStorage.ConnectionString(TablePort);

    /// <summary>Starts Azurite on <paramref name="tablePort"/> and waits until it accepts connections.</summary>
    /// <param name="location">A folder for its data, or null to keep everything in memory.</param>
    public static async Task<AzuriteProcess> StartAsync(int tablePort, string? location, CancellationToken cancellationToken)
    {
        var script = FindScript() ?? throw new AzuriteNotInstalledException(
            "Azurite is not installed: run `npm ci` in the repository root (it installs the version package-lock.json pins).");

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--tableHost");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add("--tablePort");
        start.ArgumentList.Add(tablePort.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--skipApiVersionCheck");
        start.ArgumentList.Add("--disableProductStyleUrl");
        start.ArgumentList.Add("--disableTelemetry");
        start.ArgumentList.Add("--silent");
        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Only here does a Win32Exception mean "no node": a socket error derives from it too.
            throw new NodeNotFoundException("Node.js is not on PATH: install Node.js 20 (Azurite runs on it), or set PresenceStorage to a storage account.", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, tablePort);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await IsListeningAsync("127.0.0.1", tablePort, cancellationToken).ConfigureAwait(false))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new AzuriteStartException($"Azurite did not start listening on 127.0.0.1:{tablePort}.");
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<bool> IsListeningAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The repository's Azurite, looked for above the working directory and above this program.</summary>
    public static string? FindScript() =>
        new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
            .SelectMany(Ancestors)
            .Select(d => Path.Combine(d, Script))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Stops Azurite the way it saves its data: SIGINT, then a wait; only a process that does not exit in
    /// time is killed. A killed Azurite can lose the writes it had not yet saved to its location.
    /// </summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows() || NativeMethods.Kill(process.Id, NativeMethods.SignalInterrupt) != 0)
        {
            process.Kill(entireProcessTree: true);
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills Azurite at once (SIGKILL), as a crash or <c>kill -9</c> would: what it had not saved is lost.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        process.Dispose();
    }

    private static IEnumerable<string> Ancestors(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            yield return directory.FullName;
        }
    }
}
