using System.Threading.Channels;
using Grpc.Core;
using PresenceFunctions.Tests.Integration.FunctionsHost.Rpc;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>The host emulator's end of the event stream, with the worker's side played by the test: no request waits forever.</summary>
public sealed class WorkerChannelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ARequestWaitingWhenTheWorkersStreamEndsFailsSayingSo()
    {
        var channel = new WorkerChannel();
        var worker = new FakeWorker();
        var serving = channel.ServeAsync(worker, worker, TestContext.Current.CancellationToken);
        await worker.SendAsync(new StreamingMessage { StartStream = new StartStream { WorkerId = "w" } });

        var request = channel.RequestAsync(new StreamingMessage { WorkerInitRequest = new WorkerInitRequest() }, Bound, TestContext.Current.CancellationToken);
        await worker.Received.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
        worker.EndStream();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => request.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Contains("event stream ended", failure.Message, StringComparison.Ordinal);
        await serving.WaitAsync(Bound, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<InvalidOperationException>(() => channel.RequestAsync(new StreamingMessage { WorkerInitRequest = new WorkerInitRequest() }, Bound, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ARequestTheWorkerNeverAnswersFailsAtItsTimeoutNamingIt()
    {
        var channel = new WorkerChannel();
        var worker = new FakeWorker();
        _ = channel.ServeAsync(worker, worker, TestContext.Current.CancellationToken);
        await worker.SendAsync(new StreamingMessage { StartStream = new StartStream { WorkerId = "w" } });

        var started = TimeProvider.System.GetTimestamp();
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => channel.RequestAsync(new StreamingMessage { InvocationRequest = new InvocationRequest() }, TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken));

        Assert.Contains("did not answer InvocationRequest", failure.Message, StringComparison.Ordinal);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        worker.EndStream();
    }

    [Fact]
    public async Task ARequestWaitingWhenTheWorkerExitsFailsSayingSo()
    {
        var channel = new WorkerChannel();
        var worker = new FakeWorker();
        _ = channel.ServeAsync(worker, worker, TestContext.Current.CancellationToken);
        await worker.SendAsync(new StreamingMessage { StartStream = new StartStream { WorkerId = "w" } });
        var request = channel.RequestAsync(new StreamingMessage { InvocationRequest = new InvocationRequest() }, Bound, TestContext.Current.CancellationToken);
        await worker.Received.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);

        channel.Close("the worker process exited.");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => request.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Contains("the worker process exited", failure.Message, StringComparison.Ordinal);
        worker.EndStream();
    }

    /// <summary>The worker's side of the stream: what the test sends it reads, what the host writes the test receives.</summary>
    private sealed class FakeWorker : IAsyncStreamReader<StreamingMessage>, IServerStreamWriter<StreamingMessage>
    {
        private readonly Channel<StreamingMessage> toHost = Channel.CreateUnbounded<StreamingMessage>();

        public Channel<StreamingMessage> Received { get; } = Channel.CreateUnbounded<StreamingMessage>();

        public StreamingMessage Current { get; private set; } = new();

        public WriteOptions? WriteOptions { get; set; }

        public ValueTask SendAsync(StreamingMessage message) => toHost.Writer.WriteAsync(message);

        public void EndStream() => toHost.Writer.TryComplete();

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await toHost.Reader.WaitToReadAsync(cancellationToken) || !toHost.Reader.TryRead(out var message))
            {
                return false;
            }

            Current = message;
            return true;
        }

        public Task WriteAsync(StreamingMessage message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(StreamingMessage message, CancellationToken cancellationToken) => Received.Writer.WriteAsync(message, cancellationToken).AsTask();
    }
}
