using System.Diagnostics.Metrics;

namespace PresenceFunctions.Observability;

/// <summary>
/// The app's counters (meter <c>PresenceFunctions</c>): how many changes commit, how many of their events
/// reach the transport and how many tickets move, so a gap between the first two shows events waiting in the outbox.
/// </summary>
public static class PresenceMetrics
{
    public const string MeterName = "PresenceFunctions";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Changes = Meter.CreateCounter<long>("presence.changes", "{change}", "Presence changes committed");

    public static readonly Counter<long> EventsPublished = Meter.CreateCounter<long>("presence.events.published", "{event}", "Presence-changed events the transport accepted");

    public static readonly Counter<long> AssignmentEventsPublished = Meter.CreateCounter<long>("presence.ticket_events.published", "{event}", "Ticket-assigned events the transport accepted");

    public static readonly Counter<long> EventsLeftToRelay = Meter.CreateCounter<long>("presence.events.left_to_relay", "{event}", "Events the dispatch queue did not take or did not finish (full, or shutting down); the relay sends them");

    public static readonly Histogram<double> EventDispatchLatency = Meter.CreateHistogram<double>("presence.events.dispatch_latency", "ms", "From a commit handing its events to the dispatch queue to the transport accepting them");

    public static readonly Counter<long> TicketsMoved = Meter.CreateCounter<long>("presence.tickets.moved", "{ticket}", "Tickets reassigned by rebalance passes");
}
