using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>
/// An Azure.Core pipeline policy that records what the app sends to Table Storage: every query's filter,
/// and for every entity-group transaction the partition of each operation in its body.
/// </summary>
public sealed partial class StorageRequestRecorder : HttpPipelinePolicy
{
    private readonly Lock gate = new();
    private readonly List<string> queries = [];
    private readonly List<IReadOnlyList<string>> transactions = [];
    private readonly List<string> requests = [];

    /// <summary>Every request, as "METHOD path": the round trips.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<string> Queries
    {
        get
        {
            lock (gate)
            {
                return [.. queries];
            }
        }
    }

    /// <summary>Each transaction as the partition keys of its operations.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Transactions
    {
        get
        {
            lock (gate)
            {
                return [.. transactions];
            }
        }
    }

    /// <summary>Installs the recorder on the app's TableServiceClient.</summary>
    public void Install(IServiceCollection services) =>
        services.Configure<TableClientOptions>("Default", o => o.AddPolicy(this, HttpPipelinePosition.PerCall));

    public void Clear()
    {
        lock (gate)
        {
            queries.Clear();
            transactions.Clear();
            requests.Clear();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        var request = message.Request;
        var uri = request.Uri.ToUri();
        lock (gate)
        {
            requests.Add(request.Method + " " + Uri.UnescapeDataString(uri.AbsolutePath));
            if (uri.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) && request.Content is not null)
            {
                using var buffer = new MemoryStream();
                request.Content.WriteTo(buffer, CancellationToken.None);
                var body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
                transactions.Add([.. Operations(body)]);
            }
            else if (request.Method == RequestMethod.Get)
            {
                var filter = System.Web.HttpUtility.ParseQueryString(uri.Query)["$filter"];
                queries.Add(filter ?? Uri.UnescapeDataString(uri.AbsolutePath));
            }
        }
    }

    /// <summary>
    /// Each operation of a batch body is a part of its changeset with an HTTP request inside; the first
    /// partition key in a part is the operation's, from its URL (update, delete) or its JSON body (insert).
    /// </summary>
    private static IEnumerable<string> Operations(string body) =>
        body.Split("Content-Type: application/http", StringSplitOptions.None)
            .Skip(1)
            .Select(part => PartitionKeys().Match(part))
            .Select(m => Uri.UnescapeDataString(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value));

    [GeneratedRegex(@"PartitionKey='([^']*)'|""PartitionKey"":""([^""]*)""")]
    private static partial Regex PartitionKeys();
}
