namespace PresenceFunctions.Presence;

/// <summary>Sends a committed change's event right after the commit (Events/OutboxPublisher); the outbox relay is the guarantee.</summary>
public interface IPresenceChangePublisher
{
    /// <summary>False when it could not be sent now: the event stays in the outbox for the relay.</summary>
    Task<bool> TryPublishAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);
}
