using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Bench;

/// <summary>The storage requests of one presence pass in one category, counted, not timed.</summary>
/// <param name="Away">The member holding ten open tickets goes away: they move.</param>
/// <param name="Back">The same member comes back: the backlog and the admin's fallback are empty, nothing moves.</param>
public sealed record PassRequestsRow(int Tickets, int Members, PassCount Away, PassCount Back);

/// <param name="CleanUp">After the pass: deleting the published events' outbox rows.</param>
public sealed record PassCount(long Reads, long Transactions, long CleanUp, int Moved)
{
    public long Total => Reads + Transactions;
}

/// <summary>
/// One category per size, FewestOpen, every member present; member 1 holds ten open tickets and every other ticket is
/// closed. A presence-changed event for member 1 goes through <see cref="TicketRebalancer.HandleAsync"/> (what
/// RebalanceTickets calls) and an Azure.Core policy counts what reaches storage. The closed tickets are written as
/// rows straight into the partition (a pass never reads them, which is the point), the rest with the store itself.
/// </summary>
public static class PresencePassBench
{
    private const int Away = 1;
    private const int OpenOfAway = 10;

    public static async Task<List<PassRequestsRow>> RunAsync(IReadOnlyList<int> ticketCounts, IReadOnlyList<int> memberCounts, Action<string, double> progress, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, cancellationToken).ConfigureAwait(false);
        var rows = new List<PassRequestsRow>();
        var total = ticketCounts.Count * memberCounts.Count;
        foreach (var tickets in ticketCounts)
        {
            foreach (var members in memberCounts)
            {
                progress("presence pass requests", (double)rows.Count / total);
                rows.Add(await MeasureAsync(azurite.ConnectionString, tickets, members, cancellationToken).ConfigureAwait(false));
            }
        }

        return rows;
    }

    private static async Task<PassRequestsRow> MeasureAsync(string connectionString, int tickets, int members, CancellationToken cancellationToken)
    {
        var counter = new RoundTripCounter();
        var publisher = new CountingTicketPublisher(counter);
        var table = "pass" + Guid.NewGuid().ToString("N");
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PresenceStorage"] = connectionString,
            ["Tables:Tickets"] = table,
            ["Tables:Presence"] = table + "p",
        });
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddPresenceCore(configuration)
            .AddSingleton<ITicketEventPublisher>(publisher)
            .Configure<TableClientOptions>("Default", o => o.AddPolicy(counter, HttpPipelinePosition.PerCall))
            .BuildServiceProvider();

        const int categoryId = 1;
        var store = services.GetRequiredService<TicketStore>();
        await store.SaveCategoryAsync(
            new Category(categoryId, "Bench", AssignmentMethod.FewestOpen, AdminId: 0, FallbackToAdmin: false, Cursor: 0),
            [.. Enumerable.Range(1, members).Select(id => new CategoryMember(id, 1))],
            cancellationToken).ConfigureAwait(false);
        await store.SaveTicketsAsync(
            Enumerable.Range(1, OpenOfAway).Select(id => new Ticket(id, categoryId, Away, TicketState.Open)),
            cancellationToken).ConfigureAwait(false);
        await WriteClosedAsync(services.GetRequiredService<StorageTables>(), categoryId, OpenOfAway + 1, tickets - OpenOfAway, cancellationToken).ConfigureAwait(false);

        var rebalancer = services.GetRequiredService<TicketRebalancer>();
        var away = await CountAsync(counter, publisher, () => rebalancer.HandleAsync(Event(UserStatus.StatusNotAvailable, UserStatus.StatusNormal, 1), null, cancellationToken)).ConfigureAwait(false);
        var back = await CountAsync(counter, publisher, () => rebalancer.HandleAsync(Event(UserStatus.StatusNormal, UserStatus.StatusNotAvailable, 2), null, cancellationToken)).ConfigureAwait(false);
        var moved = (await store.ReadOpenAsync(categoryId, Away, false, cancellationToken).ConfigureAwait(false)).Count;
        if (moved != 0 || away.Moved != OpenOfAway)
        {
            throw new InvalidOperationException($"The pass should have moved all {OpenOfAway} tickets; {away.Moved} went and {moved} stayed.");
        }

        return new PassRequestsRow(tickets, members, away, back);
    }

    private static async Task<PassCount> CountAsync(RoundTripCounter counter, CountingTicketPublisher publisher, Func<Task> pass)
    {
        counter.Reset();
        publisher.Reset();
        await pass().ConfigureAwait(false);
        var (reads, transactions, published) = publisher.AtPublish ?? (counter.Reads, counter.Transactions, 0);
        return new PassCount(reads, transactions, counter.Count - reads - transactions, published);
    }

    private static BinaryData Event(UserStatus status, UserStatus previous, long version) =>
        new(PresenceChangedEvent.Encode(PresenceChangedEvent.Create(new PresenceChangedData(
            Away, status.ToName(), previous.ToName(), null, version, DateTimeOffset.UtcNow, Away))));

    private static async Task WriteClosedAsync(StorageTables tables, int categoryId, int firstId, int count, CancellationToken cancellationToken)
    {
        var partition = TicketRows.CategoryPartition(categoryId);
        var table = await tables.GetAsync(tables.Names.Tickets, cancellationToken).ConfigureAwait(false);
        var batches = Enumerable.Range(firstId, Math.Max(0, count)).Chunk(EntityGroupTransaction.MaxOperations);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (ids, ct) =>
            await EntityGroupTransaction.SubmitAsync(
                table,
                [.. ids.Select(id => new TableTransactionAction(
                    TableTransactionActionType.UpsertReplace,
                    ServiceTicketEntity.From(partition, TicketRows.Ticket(id), new TicketDetails(id, categoryId, 2 + (id % 7), TicketState.Closed, false, 1, "arrival", "bench", DateTimeOffset.UtcNow))))],
                ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Accepts events at once, as a healthy Service Bus would, and notes the request counts when the pass hands them over.</summary>
    private sealed class CountingTicketPublisher(RoundTripCounter counter) : ITicketEventPublisher
    {
        public (long Reads, long Transactions, int Published)? AtPublish { get; private set; }

        public void Reset() => AtPublish = null;

        public Task PublishAsync(IReadOnlyList<TicketOutboxEvent> events, CancellationToken cancellationToken)
        {
            AtPublish = (counter.Reads, counter.Transactions, events.Count);
            return Task.CompletedTask;
        }
    }
}
