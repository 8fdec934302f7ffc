using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Storage;

/// <summary>
/// The expiry timer: reads the expiry index for the due minutes that passed and reverts each expired presence through
/// <see cref="PresenceService.ExpireAsync"/> (guarded by the version, so a newer change is never undone). Its cost
/// follows the number of expiries due, never the number of associates. A cursor row remembers the oldest minute not
/// yet finished, so a timer that was stopped catches up; the latest minutes are read on every run all the same, so one
/// row that keeps failing delays only itself.
/// </summary>
public sealed partial class PresenceExpirySweep(StorageTables tables, PresenceService presence, TimeProvider time, ILogger<PresenceExpirySweep> logger)
{
    /// <summary>Every 10 seconds: an expiry fires within about 10 s of its time (the issue allows 30).</summary>
    public const string Schedule = "*/10 * * * * *";

    /// <summary>Minutes of catch-up one run reads, and how far back a first run looks.</summary>
    public const int MaxMinutesPerRun = 60;

    /// <summary>Reverts one run makes at most; the rest wait for the next run, 10 s later.</summary>
    public const int MaxRowsPerRun = 1000;

    /// <summary>The latest minutes read on every run whatever the cursor says.</summary>
    private const int RecentMinutes = 2;

    /// <returns>How many presences it reverted.</returns>
    public Task<int> SweepAsync(CancellationToken cancellationToken) =>
        tables.RunAsync(tables.Names.Presence, table => SweepAsync(table, cancellationToken), cancellationToken);

    private async Task<int> SweepAsync(TableClient table, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = Minute(now);
        var cursor = await ReadCursorAsync(table, cancellationToken).ConfigureAwait(false) ?? current.AddMinutes(-MaxMinutesPerRun);
        var minutes = new SortedSet<DateTimeOffset>();
        for (var m = cursor; m <= current && minutes.Count < MaxMinutesPerRun; m = m.AddMinutes(1))
        {
            minutes.Add(m);
        }

        for (var m = current.AddMinutes(-RecentMinutes); m <= current; m = m.AddMinutes(1))
        {
            minutes.Add(m);
        }

        var budget = new Budget(MaxRowsPerRun);
        var reverted = 0;
        var advanceTo = cursor;
        var contiguous = true;
        foreach (var minute in minutes)
        {
            var (count, finished) = await SweepMinuteAsync(table, minute, now, budget, cancellationToken).ConfigureAwait(false);
            reverted += count;
            if (minute < advanceTo)
            {
                // A recent minute behind the cursor, read again for safety: it neither moves nor holds the cursor.
                continue;
            }

            contiguous &= finished && minute < current && minute == advanceTo;
            if (contiguous)
            {
                advanceTo = minute.AddMinutes(1);
            }
        }

        if (advanceTo > cursor)
        {
            await table.UpsertEntityAsync(
                new ExpiryCursorEntity { PartitionKey = PresenceRows.ExpiryCursorPartition, RowKey = PresenceRows.ExpiryCursor, Minute = advanceTo },
                TableUpdateMode.Replace,
                cancellationToken).ConfigureAwait(false);
        }

        if (reverted > 0)
        {
            LogReverted(logger, reverted);
        }

        return reverted;
    }

    /// <returns>The reverts made, and whether every row of the minute is done with.</returns>
    private async Task<(int Reverted, bool Finished)> SweepMinuteAsync(TableClient table, DateTimeOffset minute, DateTimeOffset now, Budget budget, CancellationToken cancellationToken)
    {
        var reverted = 0;
        var finished = true;
        var partition = PresenceRows.ExpiryPartition(minute);
        await foreach (var row in table.QueryAsync<ExpiryEntity>($"PartitionKey eq '{partition}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.ExpiresAt > now)
            {
                finished = false;
                continue;
            }

            if (!budget.TryTake())
            {
                return (reverted, false);
            }

            try
            {
                var commit = await presence.ExpireAsync(row.AssociateId, row.Version, cancellationToken).ConfigureAwait(false);
                reverted += commit.Changed ? 1 : 0;
                await DeleteAsync(table, row, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The row stays for the next run; the others go on.
                LogFailed(logger, e, row.AssociateId, row.Version);
                finished = false;
            }
        }

        return (reverted, finished);
    }

    private static async Task DeleteAsync(TableClient table, ExpiryEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Another run got there first.
        }
    }

    private static async Task<DateTimeOffset?> ReadCursorAsync(TableClient table, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<ExpiryCursorEntity>(PresenceRows.ExpiryCursorPartition, PresenceRows.ExpiryCursor, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? Minute(row.Value!.Minute) : null;
    }

    private static DateTimeOffset Minute(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    private sealed class Budget(int rows)
    {
        private int left = rows;

        public bool TryTake() => left-- > 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reverted {Count} expired presences")]
    private static partial void LogReverted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reverting the expired presence of {AssociateId} (version {Version}) failed; the next run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, int associateId, long version);
}
