using System.Net.Sockets;
using Azure;

namespace PresenceFunctions.Storage;

/// <summary>Tells an unreachable or overloaded storage service from a bug.</summary>
public static class StorageFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or 500 or 502 or 503 or 504

            // A table still missing after StorageTables recreated it once (deleted again meanwhile): retry later.
            || StorageTables.IsTableNotFound(failed)
            || (failed.InnerException is { } inner && IsUnavailable(inner)),

        // Azure.Core's retry policy reports exhausted retries as an AggregateException of the attempts.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        HttpRequestException or SocketException or IOException or TimeoutException => true,
        _ => false,
    };
}
