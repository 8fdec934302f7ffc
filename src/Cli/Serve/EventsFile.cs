using System.Text;
using System.Text.Json;

namespace PresenceFunctions.Cli.Serve;

/// <summary>
/// <c>presence serve --events FILE</c>: every event serve publishes, appended as one line of compact CloudEvent JSON
/// (JSON Lines), flushed per event so <c>tail -f</c> sees it at once. Publishes run concurrently; a lock keeps lines whole.
/// </summary>
public sealed class EventsFile : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly StreamWriter writer;

    private EventsFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);

        // Append, created when missing; others may read it while serve writes.
        writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Utf8);
    }

    public string Path { get; }

    /// <summary>Opens (creating) the file now, so a bad path fails before serve starts, not at the first event.</summary>
    public static EventsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new EventsFile(path);
    }

    /// <summary>One structured CloudEvent (the exact published body), written compact on one line.</summary>
    public async Task AppendAsync(string cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var line = Compact(cloudEvent);

        // Not cancellable: the event has already been published, and a half-written line would corrupt the file.
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(line).ConfigureAwait(false);
            await writer.WriteAsync('\n').ConfigureAwait(false);
            await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
            gate.Dispose();
        }
    }

    /// <summary>The body re-written without insignificant whitespace: JSON never needs a raw newline, so it is one line.</summary>
    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }
}
