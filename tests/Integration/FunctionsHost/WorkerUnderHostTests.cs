using System.Net.Http.Headers;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.FunctionsHost.Rpc;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>
/// The built worker process, as Azure runs it, driven through the host emulator against Azurite: the worker's own
/// DI container, metadata provider, function executor, input conversion and ASP.NET Core integration.
/// </summary>
public sealed class WorkerUnderHostTests(FunctionsHostFixture worker) : IClassFixture<FunctionsHostFixture>
{
    [Fact]
    public async Task TheHealthRouteAnswersThroughTheWorkersOwnListenerWithStorageHealthyAndNoServiceBus()
    {
        var (http, invocation) = await SendAsync(HttpMethod.Get, "/api/health", signedIn: false);

        // Azurite answers; no Service Bus is configured here, which the route reports rather than hides.
        var body = await BodyAsync(http, 503, "application/json");
        Assert.Contains("\"storage\":{\"status\":\"Healthy\"", body, StringComparison.Ordinal);
        Assert.Contains("\"serviceBus\":{\"status\":\"Unhealthy\",\"detail\":\"not configured\"}", body, StringComparison.Ordinal);
        Succeeded(invocation);
    }

    [Fact]
    public async Task TheAgentSetRouteStoresPresenceFromJsonAndFromXml()
    {
        var (json, jsonInvocation) = await SendAsync(HttpMethod.Post, "/api/v1/Agents/User/SetUserPresenceStatus",
            """{"AssociateId": 601, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""", "application/json", "application/json");
        var (xml, xmlInvocation) = await SendAsync(HttpMethod.Post, "/api/v1/Agents/User/SetUserPresenceStatus",
            "<SetUserPresenceStatusRequest><AssociateId>602</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Dentist</Message></UserPresenceStatus></SetUserPresenceStatusRequest>",
            "application/xml", "application/xml");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Lunch"}""", await BodyAsync(json, 200, "application/json"));
        Assert.Contains("<Status>StatusNotAvailable</Status><Message>Dentist</Message>", await BodyAsync(xml, 200, "application/xml"), StringComparison.Ordinal);
        Succeeded(jsonInvocation);
        Succeeded(xmlInvocation);
        Assert.Equal("Lunch", (await StatusRowAsync(601)).GetString("Message"));
        Assert.Equal("Dentist", (await StatusRowAsync(602)).GetString("Message"));
    }

    [Fact]
    public async Task TheAgentGetRouteReadsPresenceAsJsonAndAsXml()
    {
        await SetAsync(603, "In a meeting");

        var (json, _) = await SendAsync(HttpMethod.Post, "/api/v1/Agents/User/GetUserPresenceStatus", """{"AssociateId": 603}""", "application/json", "application/json");
        var (xml, _) = await SendAsync(HttpMethod.Post, "/api/v1/Agents/User/GetUserPresenceStatus",
            "<GetUserPresenceStatusRequest><AssociateId>603</AssociateId></GetUserPresenceStatusRequest>", "application/xml", "application/xml");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"In a meeting"}""", await BodyAsync(json, 200, "application/json"));
        Assert.Contains("<Status>StatusNotAvailable</Status><Message>In a meeting</Message>", await BodyAsync(xml, 200, "application/xml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUserPutRouteBindsTheRouteValueAndStoresPresenceFromJsonAndFromXml()
    {
        var (json, _) = await SendAsync(HttpMethod.Put, "/api/v1/User/604/UserPresenceStatus", """{"Status": "StatusNotAvailable", "Message": "Away"}""", "application/json", "application/json");
        var (xml, _) = await SendAsync(HttpMethod.Put, "/api/v1/user/605/userpresencestatus",
            "<UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Out</Message></UserPresenceStatus>", "application/xml", "application/xml");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Away"}""", await BodyAsync(json, 200, "application/json"));
        Assert.Contains("<Message>Out</Message>", await BodyAsync(xml, 200, "application/xml"), StringComparison.Ordinal);
        Assert.Equal("Away", (await StatusRowAsync(604)).GetString("Message"));
        Assert.Equal("Out", (await StatusRowAsync(605)).GetString("Message"));
    }

    [Fact]
    public async Task TheUserGetRouteReadsPresenceAsJsonAndAsXml()
    {
        await SetAsync(606, "Travelling");

        var (json, _) = await SendAsync(HttpMethod.Get, "/api/v1/User/606/UserPresenceStatus", accept: "application/json");
        var (xml, _) = await SendAsync(HttpMethod.Get, "/api/v1/User/606/UserPresenceStatus", accept: "application/xml");

        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Travelling"}""", await BodyAsync(json, 200, "application/json"));
        Assert.Contains("<Status>StatusNotAvailable</Status><Message>Travelling</Message>", await BodyAsync(xml, 200, "application/xml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTeamRouteReadsSeveralAssociatesAsJsonAndAsXml()
    {
        await SetAsync(609, "Team lunch");

        var (json, _) = await SendAsync(HttpMethod.Get, "/api/v1/UserPresenceStatus?associateIds=609,610", accept: "application/json");
        var (xml, _) = await SendAsync(HttpMethod.Get, "/api/v1/UserPresenceStatus?associateIds=609,610", accept: "application/xml");

        var team = JsonDocument.Parse(await BodyAsync(json, 200, "application/json")).RootElement;
        Assert.Equal([609, 610], team.EnumerateArray().Select(t => t.GetProperty("AssociateId").GetInt32()));
        Assert.Equal("Team lunch", team[0].GetProperty("Message").GetString());
        var body = await BodyAsync(xml, 200, "application/xml");
        Assert.Contains("<ArrayOfAssociatePresence", body, StringComparison.Ordinal);
        Assert.Contains("<AssociateId>610</AssociateId>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHistoryRouteListsTheChangesAsJsonAndAsXml()
    {
        await SetAsync(611, "First");
        await SetAsync(611, "Second");

        var (json, _) = await SendAsync(HttpMethod.Get, "/api/v1/User/611/UserPresenceStatus/History", accept: "application/json");
        var (xml, _) = await SendAsync(HttpMethod.Get, "/api/v1/User/611/UserPresenceStatus/History?$top=1", accept: "application/xml");

        var changes = JsonDocument.Parse(await BodyAsync(json, 200, "application/json")).RootElement;
        Assert.Equal(["Second", "First"], changes.EnumerateArray().Select(c => c.GetProperty("Message").GetString()));
        var body = await BodyAsync(xml, 200, "application/xml");
        Assert.Contains("<ArrayOfUserPresenceStatusChange", body, StringComparison.Ordinal);
        Assert.Contains("<Message>Second</Message>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<Message>First</Message>", body, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPresenceRouteInTheMetadataIsExercisedByThisClass()
    {
        var presence = FunctionsMetadata.HttpRoutes()
            // The presence API's routes (PresenceRoutes); tickets, health and OpenAPI are other parts.
            .Where(r => r.Route.Contains("PresenceStatus", StringComparison.Ordinal))
            .Select(r => $"{string.Join(',', r.Methods)} {r.Route}")
            .Order();

        Assert.Equal(CoveredPresenceRoutes.Order(), presence);
    }

    /// <summary>The presence routes the tests above send to (kept by hand: a new route must get a test here).</summary>
    private static readonly string[] CoveredPresenceRoutes =
    [
        "POST v1/Agents/User/SetUserPresenceStatus",
        "POST v1/Agents/User/GetUserPresenceStatus",
        "PUT v1/User/{associateId}/UserPresenceStatus",
        "GET v1/User/{associateId}/UserPresenceStatus",
        "GET v1/User/{associateId}/UserPresenceStatus/History",
        "GET v1/UserPresenceStatus",
    ];

    [Fact]
    public async Task ARequestWithoutCredentialsIs401WithTheErrorBodyAndTheBasicChallenge()
    {
        var (http, invocation) = await SendAsync(HttpMethod.Get, "/api/v1/User/607/UserPresenceStatus", accept: "application/json", signedIn: false);

        var body = await BodyAsync(http, 401, "application/json");
        Assert.Contains("\"Error\":true", body, StringComparison.Ordinal);
        Assert.Contains(http.Headers.WwwAuthenticate, c => c.Scheme == "Basic" && c.Parameter == "realm=\"SuperOffice Username or Ticket\"");
        Succeeded(invocation); // a refusal is the function's answer, not a failed invocation
        Assert.Empty(await RowsAsync(607));
    }

    [Fact]
    public async Task TheRelayTimerFindsThePendingEventInTheOutboxAndKeepsItWhileNoServiceBusIsConfigured()
    {
        await SetAsync(608, "Gone fishing");
        var pending = (await RowsAsync(608)).Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).Select(r => r.RowKey).ToList();
        Assert.Equal([PresenceRows.Outbox(1)], pending);

        var invocation = await worker.Host.InvokeTimerAsync("RelayPresenceOutbox", TestContext.Current.CancellationToken);

        // It read the row from Azurite and tried to publish it: without Service Bus that fails the run (so the host
        // would retry), and the event stays in the outbox, never lost.
        Assert.Equal(StatusResult.Types.Status.Failure, invocation.Result.Status);
        Assert.Contains("ServiceBusConnection is not configured", invocation.Result.Exception.Message + invocation.Result.Exception.StackTrace, StringComparison.Ordinal);
        Assert.Equal(pending, (await RowsAsync(608)).Where(r => r.RowKey.StartsWith(PresenceRows.OutboxPrefix, StringComparison.Ordinal)).Select(r => r.RowKey));
    }

    [Fact]
    public void TheWorkerIndexesExactlyTheFunctionsOfFunctionsMetadataAndReportsItsHttpListener()
    {
        var built = FunctionsMetadata.Functions().Select(f => f.GetProperty("name").GetString()!).Order();

        Assert.Equal(built, worker.Host.Functions.Keys.Order());
        Assert.True(Uri.TryCreate(worker.Host.WorkerCapabilities["HttpUri"], UriKind.Absolute, out var listener) && listener.IsLoopback);
    }

    [Fact]
    public void RebalanceTicketsIsTheServiceBusTriggerTheHostWouldBind()
    {
        var function = worker.Host.Functions["RebalanceTickets"];
        var trigger = JsonSerializer.Deserialize<JsonElement>(function.RawBindings.Single());

        // What the host's Service Bus extension reads to start a listener (Declared mode: no extension runs here).
        Assert.Equal("serviceBusTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("message", trigger.GetProperty("name").GetString());
        Assert.Equal("%PresenceTopic%", trigger.GetProperty("topicName").GetString());
        Assert.Equal("%RebalanceSubscription%", trigger.GetProperty("subscriptionName").GetString());
        Assert.Equal("ServiceBusConnection", trigger.GetProperty("connection").GetString());
        Assert.Equal("One", trigger.GetProperty("cardinality").GetString());

        // The worker loaded it with that binding, and the app settings the host resolves the names from exist.
        Assert.Equal(("serviceBusTrigger", BindingInfo.Types.Direction.In), (function.Bindings["message"].Type, function.Bindings["message"].Direction));
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsHostFixture.AppDirectory, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");
        Assert.All(["PresenceTopic", "RebalanceSubscription", "ServiceBusConnection"], name => Assert.True(values.TryGetProperty(name, out _), name));
    }

    private async Task SetAsync(int associateId, string message)
    {
        var (http, invocation) = await SendAsync(HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", $$"""{"Status": "StatusNotAvailable", "Message": "{{message}}"}""", "application/json", "application/json");
        await BodyAsync(http, 200, "application/json");
        Succeeded(invocation);
    }

    private async Task<TableEntity> StatusRowAsync(int associateId) =>
        (await worker.PresenceTable.GetEntityAsync<TableEntity>(PresenceRows.Partition(associateId), PresenceRows.Status, cancellationToken: TestContext.Current.CancellationToken)).Value;

    private async Task<List<TableEntity>> RowsAsync(int associateId)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in worker.PresenceTable.QueryAsync<TableEntity>($"PartitionKey eq '{PresenceRows.Partition(associateId)}'", cancellationToken: TestContext.Current.CancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        return rows;
    }

    private async Task<string> BodyAsync(HttpResponseMessage http, int status, string mediaType)
    {
        var body = await http.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)http.StatusCode == status, $"Expected {status}, got {(int)http.StatusCode}: {body}{Environment.NewLine}{worker.Host.Diagnostics}");
        Assert.Equal(mediaType, http.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private void Succeeded(InvocationResponse invocation) =>
        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, $"{invocation.Result.Exception?.Message}{Environment.NewLine}{worker.Host.Diagnostics}");

    private async Task<(HttpResponseMessage Http, InvocationResponse Invocation)> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = null, string? accept = null, bool signedIn = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (signedIn)
        {
            request.Headers.Authorization = worker.Authorization;
        }

        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        return await worker.Host.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
