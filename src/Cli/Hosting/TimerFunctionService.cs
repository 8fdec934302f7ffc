using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>Runs the app's timer-triggered functions on their NCRONTAB schedules, as the Functions host would.</summary>
public sealed partial class TimerFunctionService(IServiceProvider services, TimeProvider time, ILogger<TimerFunctionService> logger) : BackgroundService
{
    public const string EnabledSetting = "Serve:Timers";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FunctionCatalog.Discover(typeof(Functions.Events.RelayPresenceOutbox).Assembly)
            .Where(f => f.Trigger is TimerTriggerAttribute)
            .Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(((TimerTriggerAttribute)function.Trigger).Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = schedule.GetNextOccurrence(now);
            await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await FunctionCatalog.InvokeAsync(services, function, new TimerInfo(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The host logs a failed timer run and tries again at the next occurrence; so does this.
                LogFailed(logger, e, function.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed; it runs again at its next occurrence")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
