using Grpc.Core;
using PresenceFunctions.Tests.Integration.FunctionsHost.Rpc;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>The gRPC service the worker connects to (FunctionRpc.EventStream), handing the stream to the channel.</summary>
internal sealed class HostRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.ServeAsync(requestStream, responseStream, context.CancellationToken);
}
