using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using PresenceFunctions.Events;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Tests.Unit.Events;

public sealed class ServiceBusEventPublisherTests
{
    private static OutboxEvent Event()
    {
        var data = new PresenceChangedData(259, "StatusNotAvailable", "StatusNormal", "Lunch", 7, new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), 9);
        var body = Encoding.UTF8.GetString(PresenceChangedEvent.Encode(PresenceChangedEvent.Create(data)));
        return new OutboxEvent(259, 7, "StatusNotAvailable", "presence-259-7", PresenceRows.Outbox(7), body);
    }

    [Fact]
    public async Task TheMessageIsAStructuredCloudEventWithTheContractsIdsAndProperties()
    {
        var sender = new RecordingSender();

        await new ServiceBusEventPublisher(sender).PublishAsync(Event(), TestContext.Current.CancellationToken);

        var message = Assert.Single(sender.Sent);
        Assert.Equal("presence-259-7", message.MessageId);
        Assert.Equal("associate/259", message.Subject);
        Assert.Equal("application/cloudevents+json", message.ContentType);
        Assert.Equal(259, message.ApplicationProperties["associateId"]);
        Assert.Equal("StatusNotAvailable", message.ApplicationProperties["status"]);
        Assert.Equal(7L, message.ApplicationProperties["version"]);

        // Read back with the CloudEvents SDK, as a subscriber would.
        var cloudEvent = new JsonEventFormatter().DecodeStructuredModeMessage(message.Body.ToMemory(), new ContentType("application/cloudevents+json"), null);
        Assert.Equal(CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal("SuperOffice.UserPresenceStatus.Changed", cloudEvent.Type);
        Assert.Equal("presence-259-7", cloudEvent.Id);
        Assert.Equal("associate/259", cloudEvent.Subject);
        Assert.Equal("/superoffice/presence", cloudEvent.Source!.ToString());
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), cloudEvent.Time);
        var data = Assert.IsType<System.Text.Json.JsonElement>(cloudEvent.Data);
        Assert.Equal(259, data.GetProperty("associateId").GetInt32());
        Assert.Equal("StatusNotAvailable", data.GetProperty("status").GetString());
        Assert.Equal("StatusNormal", data.GetProperty("previousStatus").GetString());
        Assert.Equal("Lunch", data.GetProperty("message").GetString());
        Assert.Equal(7, data.GetProperty("version").GetInt64());
        Assert.Equal(9, data.GetProperty("changedBy").GetInt32());
    }

    [Fact]
    public void TheConsumerReadsTheEventBack()
    {
        var data = PresenceChangedEvent.Decode(Encoding.UTF8.GetBytes(Event().Body));

        Assert.Equal(259, data.AssociateId);
        Assert.Equal(7, data.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"Something.Else","data":{}}""")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"SuperOffice.UserPresenceStatus.Changed"}""")]
    [InlineData("""{"id":"x","type":"SuperOffice.UserPresenceStatus.Changed"}""")]
    public void MessagesThatAreNotPresenceEventsThrow(string body)
    {
        var thrown = Record.Exception(() => PresenceChangedEvent.Decode(Encoding.UTF8.GetBytes(body)));
        Assert.NotNull(thrown);
    }
}
