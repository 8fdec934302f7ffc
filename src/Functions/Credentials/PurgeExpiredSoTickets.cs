using Microsoft.Azure.Functions.Worker;
using PresenceFunctions.Auth;

namespace PresenceFunctions.Functions.Credentials;

/// <summary>Removes expired SoTicket rows, a bounded number per run (<c>presence credentials purge-tickets</c> does the same on demand).</summary>
public sealed class PurgeExpiredSoTickets(ExpiredSoTicketPurge purge)
{
    /// <summary>Hourly: expired tickets are refused anyway, so removing them is housekeeping, not urgent.</summary>
    public const string Schedule = "0 0 * * * *";

    [Function(nameof(PurgeExpiredSoTickets))]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        purge.PurgeAsync(ExpiredSoTicketPurge.DefaultMaxRows, cancellationToken);
}
