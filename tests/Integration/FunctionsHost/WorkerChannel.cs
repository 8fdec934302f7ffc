using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using PresenceFunctions.Tests.Integration.FunctionsHost.Rpc;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>
/// The host's end of one worker's event stream: what the host sends waits in a queue until the worker has opened
/// the stream, and each answer is matched to its request by request id, as the worker echoes it. A request fails,
/// never hangs: when its timeout passes, and when the stream ends or the worker exits before the answer.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly Channel<StreamingMessage> outbound = Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> pending = new();
    private readonly TaskCompletionSource<string> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> logs = new();
    private volatile string? closed;

    /// <summary>The worker id the worker announced in StartStream.</summary>
    public Task<string> Started => started.Task;

    /// <summary>What the worker logged through RpcLog (bounded), for a failing test's message.</summary>
    public IEnumerable<string> Logs => logs;

    /// <summary>Sends one request and waits for the message the worker answers it with, at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The worker did not answer in time.</exception>
    /// <exception cref="InvalidOperationException">The stream ended, or the worker exited, before the answer.</exception>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[request.RequestId] = answer;
        try
        {
            // Checked after registering: a Close that ran before sees this request, one that runs after is seen here.
            if (closed is { } reason)
            {
                throw Closed(request, reason);
            }

            await outbound.Writer.WriteAsync(request, cancellationToken);
            return await answer.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The worker did not answer {request.ContentCase} within {timeout.TotalSeconds:0} s.");
        }
        finally
        {
            pending.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Fails every waiting request, and every later one, with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        closed ??= reason;
        foreach (var (id, answer) in pending)
        {
            answer.TrySetException(new InvalidOperationException($"No answer to request {id}: {closed}"));
        }
    }

    /// <summary>Serves the stream the worker opened until it closes: its StartStream first, then answers and logs.</summary>
    public async Task ServeAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        if (!await fromWorker.MoveNext(cancellationToken) || fromWorker.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, "The worker must open the stream with StartStream."));
        }

        started.TrySetResult(fromWorker.Current.StartStream.WorkerId);
        var writing = WriteAsync(toWorker, cancellationToken);
        try
        {
            while (await fromWorker.MoveNext(cancellationToken))
            {
                var message = fromWorker.Current;
                if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
                {
                    Log(message.RpcLog);
                }
                else if (pending.TryGetValue(message.RequestId, out var answer))
                {
                    answer.TrySetResult(message);
                }
            }
        }
        finally
        {
            // Nothing more can be answered: what waits would otherwise wait for its timeout, or forever.
            Close("the worker's event stream ended.");
            outbound.Writer.TryComplete();
        }

        await writing;
    }

    private static InvalidOperationException Closed(StreamingMessage request, string reason) =>
        new($"Cannot send {request.ContentCase}: {reason}");

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        await foreach (var message in outbound.Reader.ReadAllAsync(cancellationToken))
        {
            await toWorker.WriteAsync(message, cancellationToken);
        }
    }

    private void Log(RpcLog log)
    {
        if (log.Level >= RpcLog.Types.Level.Warning && logs.Count < 200)
        {
            logs.Enqueue($"{log.Level} {log.Category}: {log.Message} {log.Exception?.Message}");
        }
    }
}
