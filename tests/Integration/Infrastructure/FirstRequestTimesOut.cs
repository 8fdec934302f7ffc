using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>
/// The first storage request matching a path fragment fails as the Azure SDK reports its own network timeout: a bare
/// <see cref="TaskCanceledException"/> with no cancellation asked for (placed before the SDK's retries, as when they ran out).
/// </summary>
public sealed class FirstRequestTimesOut(string pathContains) : HttpPipelinePolicy
{
    private int fired;

    public static TableServiceClient Client(string connectionString, string pathContains)
    {
        var options = new TableClientOptions();
        options.AddPolicy(new FirstRequestTimesOut(pathContains), HttpPipelinePosition.PerCall);
        return new TableServiceClient(connectionString, options);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowOnce(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ThrowOnce(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void ThrowOnce(HttpMessage message)
    {
        if (message.Request.Uri.Path.Contains(pathContains, StringComparison.Ordinal) && Interlocked.Exchange(ref fired, 1) == 0)
        {
            throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:10.");
        }
    }
}
