using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Events;

/// <summary>
/// Drains <see cref="EventDispatchQueue"/> for the life of the host (the Functions worker and <c>presence serve</c> alike).
/// On shutdown the queue takes nothing more and keeps publishing for <see cref="OutboxOptions.DrainSeconds"/>; whatever is
/// left then stays in the outbox, where the relay finds it, so stopping loses nothing.
/// </summary>
public sealed partial class EventDispatcher(EventDispatchQueue queue, IOptions<OutboxOptions> options, ILogger<EventDispatcher> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => queue.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        if (ExecuteTask is { IsCompleted: false } running)
        {
            var drain = TimeSpan.FromSeconds(Math.Max(0, options.Value.DrainSeconds));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(drain);

            try
            {
                await running.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time: base.StopAsync stops the lanes, and what they hold stays in the outbox.
                LogDrainTimedOut(logger, queue.Pending, drain.TotalSeconds);
            }
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Pending} events were still queued after draining {Seconds} s; they stay in the outbox for the relay")]
    private static partial void LogDrainTimedOut(ILogger logger, int pending, double seconds);
}
