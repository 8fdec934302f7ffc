using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Health;

/// <summary>
/// Service Bus is reachable when the sender can open its link to the topic (creating a batch does, and
/// checks the send right) without sending anything. Without Service Bus, the answer says how events travel.
/// </summary>
public sealed class ServiceBusHealthCheck(IPresenceEventPublisher publisher, IServiceProvider services) : IHealthCheck
{
    public const string InProcess = "in-process";
    public const string NotConfigured = "not configured";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        switch (publisher)
        {
            case UnconfiguredEventPublisher:
                return HealthCheckResult.Unhealthy(NotConfigured);
            case ServiceBusEventPublisher:
                try
                {
                    using var batch = await services.GetRequiredService<ServiceBusSender>().CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
                    return HealthCheckResult.Healthy();
                }
                catch (Exception e) when (e is ServiceBusException or UnauthorizedAccessException or TimeoutException or Azure.RequestFailedException or System.Net.Sockets.SocketException)
                {
                    return HealthCheckResult.Unhealthy("unreachable");
                }

            default:
                return HealthCheckResult.Healthy(InProcess);
        }
    }
}
