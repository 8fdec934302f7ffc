using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using PresenceFunctions.Events;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Events;

public sealed class ServiceBusTicketEventPublisherTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 1, TimeSpan.Zero);

    private static TicketAssignedData Data(int ticketId = 1042, long version = 3) =>
        new(ticketId, 10, 261, 259, TicketAssignedEvent.ReasonName(AssignmentReason.Presence), "presence-259-7", version, At);

    private static TicketOutboxEvent Event(int ticketId = 1042, long version = 3, string? traceParent = null) =>
        TicketOutboxEvents.Create(Data(ticketId, version), TicketRows.Outbox(ticketId, version), traceParent);

    [Fact]
    public void TheMessageIsAStructuredCloudEventWithTheContractsIdsAndProperties()
    {
        var message = ServiceBusTicketEventPublisher.ToMessage(Event());

        Assert.Equal("ticket-1042-3", message.MessageId);
        Assert.Equal("ticket/1042", message.Subject);
        Assert.Equal("application/cloudevents+json", message.ContentType);
        Assert.Equal(1042, message.ApplicationProperties["ticketId"]);
        Assert.Equal(10, message.ApplicationProperties["categoryId"]);
        Assert.Equal(261, message.ApplicationProperties["ownerId"]);
        Assert.Equal(3L, message.ApplicationProperties["assignmentVersion"]);
        Assert.False(message.ApplicationProperties.ContainsKey("traceparent"));

        // Read back with the CloudEvents SDK, as a subscriber would.
        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(message.Body.ToMemory(), new ContentType("application/cloudevents+json"), null);
        Assert.Equal(CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal("SuperOffice.Ticket.Assigned", cloudEvent.Type);
        Assert.Equal("ticket-1042-3", cloudEvent.Id);
        Assert.Equal("ticket/1042", cloudEvent.Subject);
        Assert.Equal("/superoffice/tickets", cloudEvent.Source!.ToString());
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal(At, cloudEvent.Time);
        var data = Assert.IsType<System.Text.Json.JsonElement>(cloudEvent.Data);
        Assert.Equal(1042, data.GetProperty("ticketId").GetInt32());
        Assert.Equal(10, data.GetProperty("categoryId").GetInt32());
        Assert.Equal(261, data.GetProperty("ownerId").GetInt32());
        Assert.Equal(259, data.GetProperty("previousOwnerId").GetInt32());
        Assert.Equal("presence", data.GetProperty("reason").GetString());
        Assert.Equal("presence-259-7", data.GetProperty("causedBy").GetString());
        Assert.Equal(3, data.GetProperty("assignmentVersion").GetInt64());
        Assert.Equal(At, data.GetProperty("assignedAt").GetDateTimeOffset());
    }

    [Fact]
    public void TheMessageCarriesTheTraceContextOfItsCauseUnderBothNames()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        var message = ServiceBusTicketEventPublisher.ToMessage(Event(traceParent: traceParent));

        Assert.Equal(traceParent, message.ApplicationProperties["traceparent"]);
        Assert.Equal(traceParent, message.ApplicationProperties["Diagnostic-Id"]);
    }

    [Fact]
    public async Task EventsAreSentInOrderInSendsOfAtMostFifty()
    {
        var sender = new RecordingSender();
        var events = Enumerable.Range(1, 120).Select(i => Event(i, 1)).ToList();

        await new ServiceBusTicketEventPublisher(sender).PublishAsync(events, TestContext.Current.CancellationToken);

        Assert.Equal([50, 50, 20], sender.Batches.Select(b => b.Count));
        Assert.Equal(events.Select(e => e.EventId), sender.Sent.Select(m => m.MessageId));
    }

    [Fact]
    public void TheConsumerReadsTheEventBack()
    {
        Assert.Equal(Data(), TicketAssignedEvent.Decode(Encoding.UTF8.GetBytes(Event().Body)));
    }

    [Theory]
    [InlineData(AssignmentReason.Arrival, "arrival")]
    [InlineData(AssignmentReason.Presence, "presence")]
    [InlineData(AssignmentReason.Message, "message")]
    [InlineData(AssignmentReason.Fallback, "fallback")]
    [InlineData(AssignmentReason.Category, "category")]
    public void EveryReasonHasItsDocumentedName(AssignmentReason reason, string name)
    {
        Assert.Equal(name, TicketAssignedEvent.ReasonName(reason));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"SuperOffice.UserPresenceStatus.Changed","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"SuperOffice.Ticket.Assigned"}""")]
    [InlineData("""{"id":"x","type":"SuperOffice.Ticket.Assigned"}""")]
    public void MessagesThatAreNotAssignmentEventsThrow(string body)
    {
        var thrown = Record.Exception(() => TicketAssignedEvent.Decode(Encoding.UTF8.GetBytes(body)));
        Assert.NotNull(thrown);
    }
}
