using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using PresenceFunctions.Auth;
using PresenceFunctions.Events;
using PresenceFunctions.Functions.Credentials;
using PresenceFunctions.Functions.Events;
using PresenceFunctions.Functions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>A timer function's Core call, run at each occurrence of its NCRONTAB schedule (with seconds), as the Functions host runs it.</summary>
public sealed partial class ScheduledRun(string name, string schedule, Func<CancellationToken, Task> run, TimeProvider time, ILogger<ScheduledRun> logger) : BackgroundService
{
    /// <summary>The timer functions, on the same schedule constants their <c>[TimerTrigger]</c> attributes use.</summary>
    public static void AddTimerFunctions(IServiceCollection services)
    {
        // Not AddHostedService: it keeps one registration per implementation type, and there are several.
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ScheduledRun>(
            sp, nameof(RelayPresenceOutbox), OutboxRelay.Schedule, (Func<CancellationToken, Task>)sp.GetRequiredService<OutboxRelay>().RelayAsync));
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ScheduledRun>(
            sp, nameof(RelayTicketOutbox), TicketOutboxRelay.Schedule, (Func<CancellationToken, Task>)sp.GetRequiredService<TicketOutboxRelay>().RelayAsync));
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ScheduledRun>(
            sp, nameof(ExpirePresence), PresenceExpirySweep.Schedule, (Func<CancellationToken, Task>)sp.GetRequiredService<PresenceExpirySweep>().SweepAsync));
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ScheduledRun>(
            sp, nameof(PurgeExpiredSoTickets), PurgeExpiredSoTickets.Schedule, (Func<CancellationToken, Task>)(ct => sp.GetRequiredService<ExpiredSoTicketPurge>().PurgeAsync(ExpiredSoTicketPurge.DefaultMaxRows, ct))));
    }

    public (string Name, string Schedule) Timer => (name, schedule);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var occurrences = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var last = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // After the later of now and the last occurrence: a timer waking a hair early must not run one occurrence twice.
            var now = time.GetUtcNow().UtcDateTime;
            last = occurrences.GetNextOccurrence(now > last ? now : last);
            await Task.Delay(last - now, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await run(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The host logs a failed timer run and tries again at the next occurrence; so does this.
                LogFailed(logger, e, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed; it runs again at its next occurrence")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
