using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using PresenceFunctions.Presence;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Events;

/// <summary>docs/events.md and its JSON Schemas describe the events the service really publishes.</summary>
public sealed partial class EventSchemaTests
{
    private static readonly string Docs = Path.GetDirectoryName(OpenApiContract.FilePath)!;

    // Built once: JsonSchema.Net registers each schema's $id globally and refuses a second registration.
    private static readonly Dictionary<string, JsonSchema> Schemas = new[] { "presence-changed.schema.json", "ticket-assigned.schema.json" }
        .ToDictionary(f => f, f => JsonSchema.FromText(File.ReadAllText(Path.Combine(Docs, f))));

    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 1, TimeSpan.Zero);

    private static byte[] TicketEvent(TicketAssignedData data) => TicketAssignedEvent.Encode(TicketAssignedEvent.Create(data));

    [Fact]
    public void ARealPresenceChangedEventsDataMatchesItsSchema()
    {
        var body = PresenceChangedEvent.Encode(PresenceChangedEvent.Create(new PresenceChangedData(259, "StatusNotAvailable", "StatusNormal", "Lunch", 7, At, 259)));

        Assert.Null(Check("presence-changed.schema.json", body));
    }

    [Theory]
    [InlineData("arrival", 0)]
    [InlineData("presence", 259)]
    [InlineData("message", 259)]
    [InlineData("fallback", 259)]
    [InlineData("category", 261)]
    public void ARealTicketAssignedEventsDataMatchesItsSchemaForEveryReason(string reason, int previousOwner)
    {
        var body = TicketEvent(new TicketAssignedData(1042, 10, 261, previousOwner, reason, "request-4bf92f3577b34da6a3ce929d0e0e4736", 3, At));

        Assert.Null(Check("ticket-assigned.schema.json", body));
    }

    [Theory]
    [InlineData("whim", 261, 3)]
    [InlineData("presence", -1, 3)]
    [InlineData("presence", 261, 0)]
    public void TheTicketSchemaRefusesWhatTheServiceNeverSends(string reason, int owner, long version)
    {
        var body = TicketEvent(new TicketAssignedData(1042, 10, owner, 259, reason, "presence-259-7", version, At));

        Assert.NotNull(Check("ticket-assigned.schema.json", body));
    }

    [Fact]
    public void TheDocumentedTicketExampleIsWhatTheServicePublishesForItsData()
    {
        var documented = Assert.Single(JsonBlocks(), b => (string?)b["type"] == TicketAssignedEvent.Type);
        var data = documented["data"]!;
        var real = TicketEvent(new TicketAssignedData(
            (int)data["ticketId"]!, (int)data["categoryId"]!, (int)data["ownerId"]!, (int)data["previousOwnerId"]!,
            (string)data["reason"]!, (string)data["causedBy"]!, (long)data["assignmentVersion"]!, DateTimeOffset.Parse((string)data["assignedAt"]!, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.True(JsonNode.DeepEquals(documented, JsonNode.Parse(real)), $"docs/events.md shows {documented.ToJsonString()}, the service publishes {Encoding.UTF8.GetString(real)}");
        Assert.Null(Check("ticket-assigned.schema.json", real));
    }

    /// <summary>What is wrong with the event's data by the schema, or null when nothing is.</summary>
    private static string? Check(string schemaFile, byte[] cloudEvent)
    {
        var schema = Schemas[schemaFile];
        using var document = JsonDocument.Parse(cloudEvent);
        var result = schema.Evaluate(document.RootElement.GetProperty("data"), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? null
            : string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
    }

    private static List<JsonObject> JsonBlocks() =>
        [.. JsonBlock().Matches(File.ReadAllText(Path.Combine(Docs, "events.md"))).Select(m => JsonNode.Parse(m.Groups["json"].Value)!.AsObject())];

    [GeneratedRegex("```json\\n(?<json>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
