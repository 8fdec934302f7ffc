using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Tickets;

/// <summary>The ticket routes on TestServer and Azurite: each assignment rule, auth, bad input and paging, all through HTTP.</summary>
public sealed class TicketRoutesTests(AzuriteFixture azurite)
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const int Admin = TestApi.AdminAssociateId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Category(string method, string members, string extra = "") =>
        $$"""{"Name":"Support","Method":"{{method}}","AdminId":{{Admin}}{{extra}},"Members":[{{members}}]}""";

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.AssertAsync(200, "application/json"))!.AsObject();

    private static Task<HttpResponseMessage> SendAsync(TestApi api, HttpMethod method, string path, string? json = null, IDictionary<string, string>? headers = null) =>
        api.SendAsync(api.Client, method, path, json, json is null ? null : "application/json", "application/json", headers);

    private static async Task<JsonObject> PutCategoryAsync(TestApi api, int id, string json) =>
        await OkAsync(await SendAsync(api, HttpMethod.Put, $"/api/v1/TicketCategories/{id}", json));

    private static async Task<JsonObject> PutTicketAsync(TestApi api, int id, string json) =>
        await OkAsync(await SendAsync(api, HttpMethod.Put, $"/api/v1/Tickets/{id}", json));

    private static async Task<JsonObject> GetAsync(TestApi api, string path) => await OkAsync(await SendAsync(api, HttpMethod.Get, path));

    /// <summary>A presence change, then the rebalance pass it causes (which runs after the answer).</summary>
    private static async Task SetPresenceAsync(TestApi api, int associateId, bool present)
    {
        await (await SendAsync(api, HttpMethod.Put, $"/api/v1/User/{associateId}/UserPresenceStatus", present ? """{"Status":"StatusNormal"}""" : """{"Status":"StatusNotAvailable"}"""))
            .AssertAsync(200, "application/json");
        await api.SettledAsync();
    }

    private static int Owner(JsonObject ticket) => ticket["OwnerId"]!.GetValue<int>();

    private static string? Reason(JsonObject ticket) => ticket["Reason"]?.GetValue<string>();

    private static List<int> Ids(JsonObject page) => [.. page["Tickets"]!.AsArray().Select(t => t!["TicketId"]!.GetValue<int>())];

    /// <summary>
    /// Every row of the test's Tickets table with its ETag: equal before and after means nothing was written. Read once
    /// the work after earlier answers (outbox rows removed after publishing) is done, so only the request under test counts.
    /// </summary>
    private async Task<List<string>> TicketRowsAsync(TestApi api)
    {
        await api.SettledAsync();
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(api.Get<IOptions<TableNames>>().Value.Tickets);
        var rows = new List<string>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
            {
                rows.Add($"{row.PartitionKey}/{row.RowKey}/{row.ETag}");
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        return rows;
    }

    [Fact]
    public async Task ACategoryIsStoredWithSuperOfficesDefaultsAndItsMembersPresence()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetPresenceAsync(api, 3, present: false);

        var put = await PutCategoryAsync(api, 10, """{"Name":"Support","Method":"Weighted","Members":[{"AssociateId":2},{"AssociateId":3,"Weight":2}]}""");
        var get = await GetAsync(api, "/api/v1/TicketCategories/10");

        Assert.Equal(put.ToJsonString(), get.ToJsonString());
        Assert.Equal(
            """{"Id":10,"Name":"Support","Method":"Weighted","AdminId":0,"FallbackToAdmin":false,"RebalanceOnPresence":true,"ReassignOnNewMessage":true,"Members":[{"AssociateId":2,"Weight":1,"Present":true,"OpenCount":0},{"AssociateId":3,"Weight":2,"Present":false,"OpenCount":0}],"BacklogCount":0,"HeldCount":0}""",
            get.ToJsonString());
    }

    [Fact]
    public async Task NewTicketsAreAssignedOnArrivalByTheMethodAmongPresentMembersOnly()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetPresenceAsync(api, 4, present: false);
        await PutCategoryAsync(api, 10, Category("Even", """{"AssociateId":2},{"AssociateId":3},{"AssociateId":4}"""));

        var owners = new List<int>();
        for (var id = 1; id <= 4; id++)
        {
            var ticket = await PutTicketAsync(api, id, """{"CategoryId":10}""");
            Assert.Equal(("arrival", 1L, "Open"), (Reason(ticket), ticket["AssignmentVersion"]!.GetValue<long>(), ticket["State"]!.GetValue<string>()));
            owners.Add(Owner(ticket));
        }

        // Even: round robin over 2 and 3; 4 is away and gets nothing.
        Assert.Equal([2, 2, 3, 3], owners.Order());
        Assert.NotEqual(owners[0], owners[1]);
        var category = await GetAsync(api, "/api/v1/TicketCategories/10");
        Assert.Equal([2, 2, 0], category["Members"]!.AsArray().Select(m => m!["OpenCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AChangeRecordsTheRequestsTraceAsItsCause()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2}"""));

        var response = await SendAsync(api, HttpMethod.Put, "/api/v1/Tickets/1", """{"CategoryId":10}""", new Dictionary<string, string> { ["traceparent"] = $"00-{TraceId}-00f067aa0ba902b7-01" });

        var ticket = await OkAsync(response);
        Assert.Equal($"request-{TraceId}", ticket["CausedBy"]!.GetValue<string>());
        Assert.Equal(ticket.ToJsonString(), (await GetAsync(api, "/api/v1/Tickets/1")).ToJsonString());
    }

    [Fact]
    public async Task OnArrivalAPresentOwnerOrANonMemberIsKeptAndAnAwayOwnerIsReplaced()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await SetPresenceAsync(api, 3, present: false);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2},{"AssociateId":3}"""));

        Assert.Equal(2, Owner(await PutTicketAsync(api, 1, """{"CategoryId":10,"OwnerId":2}""")));
        Assert.Equal(99, Owner(await PutTicketAsync(api, 2, """{"CategoryId":10,"OwnerId":99}""")));
        Assert.Equal(2, Owner(await PutTicketAsync(api, 3, """{"CategoryId":10,"OwnerId":3}""")));
    }

    [Fact]
    public async Task DoNotAssignLeavesANewTicketInTheBacklog()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("DoNotAssign", """{"AssociateId":2}"""));

        Assert.Equal(0, Owner(await PutTicketAsync(api, 1, """{"CategoryId":10}""")));
        Assert.Equal(1, (await GetAsync(api, "/api/v1/TicketCategories/10"))["BacklogCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task RepeatingAPutChangesNothing()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2}"""));
        var first = await PutTicketAsync(api, 1, """{"CategoryId":10}""");
        var rows = await TicketRowsAsync(api);

        var second = await PutTicketAsync(api, 1, """{"CategoryId":10,"State":"Open"}""");

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(rows, await TicketRowsAsync(api));
    }

    [Fact]
    public async Task ANewMessageMovesATicketWhoseOwnerIsAwayOnlyWhenTheCategorySaysSo()
    {
        await using var api = await TestApi.StartAsync(azurite);

        // Presence changes move nothing here, so only the message can.
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2},{"AssociateId":3}""", ""","RebalanceOnPresence":false"""));
        await PutCategoryAsync(api, 20, Category("FewestOpen", """{"AssociateId":2},{"AssociateId":3}""", ""","RebalanceOnPresence":false,"ReassignOnNewMessage":false"""));
        await PutTicketAsync(api, 1, """{"CategoryId":10,"OwnerId":2}""");
        await PutTicketAsync(api, 2, """{"CategoryId":20,"OwnerId":2}""");
        await PutTicketAsync(api, 3, """{"CategoryId":10,"OwnerId":3}""");
        await SetPresenceAsync(api, 2, present: false);
        Assert.Equal(2, Owner(await GetAsync(api, "/api/v1/Tickets/1")));

        var moved = await OkAsync(await SendAsync(api, HttpMethod.Post, "/api/v1/Tickets/1/Messages"));
        var kept = await OkAsync(await SendAsync(api, HttpMethod.Post, "/api/v1/Tickets/2/Messages", """{"Text":"any body is fine"}"""));
        var present = await OkAsync(await SendAsync(api, HttpMethod.Post, "/api/v1/Tickets/3/Messages"));

        Assert.Equal((3, "message", 2L), (Owner(moved), Reason(moved), moved["AssignmentVersion"]!.GetValue<long>()));
        Assert.Equal(2, Owner(kept));
        Assert.Equal((3, 1L), (Owner(present), present["AssignmentVersion"]!.GetValue<long>()));
    }

    [Fact]
    public async Task AMemberGoingAwayMovesTheirTicketsAndNobodyPresentMeansTheAdminHoldsThemUntilSomeoneIsBack()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2},{"AssociateId":3}""", ""","FallbackToAdmin":true"""));
        await PutTicketAsync(api, 1, """{"CategoryId":10,"OwnerId":2}""");
        await PutTicketAsync(api, 2, """{"CategoryId":10,"OwnerId":2}""");

        await SetPresenceAsync(api, 2, present: false);
        var moved = await GetAsync(api, "/api/v1/Tickets/1");
        Assert.Equal((3, "presence"), (Owner(moved), Reason(moved)));
        Assert.Equal([1, 2], Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?ownerId=3")));

        await SetPresenceAsync(api, 3, present: false);
        var held = await GetAsync(api, "/api/v1/Tickets/2");
        Assert.Equal((Admin, true, "fallback"), (Owner(held), held["HeldByAdmin"]!.GetValue<bool>(), Reason(held)));
        Assert.Equal(2, (await GetAsync(api, "/api/v1/TicketCategories/10"))["HeldCount"]!.GetValue<int>());

        await SetPresenceAsync(api, 2, present: true);
        Assert.Equal([1, 2], Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?ownerId=2")));
        var category = await GetAsync(api, "/api/v1/TicketCategories/10");
        Assert.Equal((0, 0), (category["HeldCount"]!.GetValue<int>(), category["BacklogCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AClosedTicketLeavesItsOwnersCountAndNeverMoves()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2},{"AssociateId":3}"""));
        await PutTicketAsync(api, 1, """{"CategoryId":10,"OwnerId":2}""");

        var closed = await PutTicketAsync(api, 1, """{"State":"Closed"}""");
        await SetPresenceAsync(api, 2, present: false);

        Assert.Equal(("Closed", 2), (closed["State"]!.GetValue<string>(), Owner(closed)));
        Assert.Equal(2, Owner(await GetAsync(api, "/api/v1/Tickets/1")));
        Assert.Equal(0, (await GetAsync(api, "/api/v1/TicketCategories/10"))["Members"]![0]!["OpenCount"]!.GetValue<int>());
        Assert.Equal([1], Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?state=Closed")));
        Assert.Empty(Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?state=open")));
    }

    [Fact]
    public async Task AnotherCategoryIdMovesTheTicketThere()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("DoNotAssign", ""));
        await PutCategoryAsync(api, 20, Category("FewestOpen", """{"AssociateId":3}"""));
        await PutTicketAsync(api, 1, """{"CategoryId":10}""");

        // Unowned, it arrives in 20 and is assigned there (an owner who is not 20's member would be kept).
        var moved = await PutTicketAsync(api, 1, """{"CategoryId":20}""");

        Assert.Equal((20, 3, "category", 2L), (moved["CategoryId"]!.GetValue<int>(), Owner(moved), Reason(moved), moved["AssignmentVersion"]!.GetValue<long>()));
        Assert.Empty(Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets")));
        Assert.Equal([1], Ids(await GetAsync(api, "/api/v1/TicketCategories/20/Tickets")));
    }

    [Fact]
    public async Task AUsersTicketsAreTheirOpenTicketsAcrossTheirCategoriesByTicketId()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2}"""));
        await PutCategoryAsync(api, 20, Category("FewestOpen", """{"AssociateId":2},{"AssociateId":3}"""));
        await PutTicketAsync(api, 5, """{"CategoryId":20,"OwnerId":2}""");
        await PutTicketAsync(api, 1, """{"CategoryId":10,"OwnerId":2}""");
        await PutTicketAsync(api, 3, """{"CategoryId":20,"OwnerId":3}""");
        await PutTicketAsync(api, 4, """{"CategoryId":10,"OwnerId":2,"State":"Closed"}""");

        var page = await GetAsync(api, "/api/v1/User/2/Tickets");

        Assert.Equal([1, 5], Ids(page));
        Assert.Null(page["ContinuationToken"]);
        Assert.Empty(Ids(await GetAsync(api, "/api/v1/User/77/Tickets")));
    }

    [Fact]
    public async Task ListsPageByTopAndSkipAndByContinuationTokenInTicketOrder()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("DoNotAssign", ""));
        for (var id = 1; id <= 5; id++)
        {
            await PutTicketAsync(api, id, """{"CategoryId":10}""");
        }

        Assert.Equal([3, 4], Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?$top=2&$skip=2")));
        Assert.Empty(Ids(await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?$skip=5")));

        var seen = new List<int>();
        var path = "/api/v1/TicketCategories/10/Tickets?ownerId=0&$top=2";
        for (var pages = 1; ; pages++)
        {
            Assert.True(pages <= 3, "more pages than 5 tickets in pages of 2 need");
            var page = await GetAsync(api, path);
            seen.AddRange(Ids(page));
            if (page["ContinuationToken"]?.GetValue<string>() is not { } token)
            {
                break;
            }

            path = "/api/v1/TicketCategories/10/Tickets?ownerId=0&$top=2&$continuation=" + Uri.EscapeDataString(token);
        }

        Assert.Equal([1, 2, 3, 4, 5], seen);
    }

    [Fact]
    public async Task SelectAppliesToEachTicketOfAList()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("DoNotAssign", ""));
        await PutTicketAsync(api, 1, """{"CategoryId":10}""");

        var page = await GetAsync(api, "/api/v1/TicketCategories/10/Tickets?$select=TicketId,state");

        Assert.Equal("""[{"TicketId":1,"CategoryId":null,"OwnerId":null,"State":"Open","HeldByAdmin":null,"AssignmentVersion":null,"Reason":null,"CausedBy":null,"AssignedAt":null}]""", page["Tickets"]!.ToJsonString());
    }

    [Fact]
    public async Task TicketsAreWrittenInXmlAndFormsAndAnsweredInXml()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2}"""));

        var xml = await api.SendAsync(HttpMethod.Put, "/api/v1/Tickets/1", "<Ticket><CategoryId>10</CategoryId></Ticket>", "application/xml");
        var form = await api.SendAsync(HttpMethod.Put, "/api/v1/Tickets/2", "CategoryId=10&OwnerId=7", "application/x-www-form-urlencoded");
        var category = await api.SendAsync(HttpMethod.Get, "/api/v1/TicketCategories/10", accept: "application/xml");

        Assert.Equal("2", XDocument.Parse(await xml.AssertAsync(200, "application/xml")).Root!.Element("OwnerId")!.Value);
        Assert.Equal(7, JsonNode.Parse(await form.AssertAsync(200, "application/json"))!["OwnerId"]!.GetValue<int>());
        var members = XDocument.Parse(await category.AssertAsync(200, "application/xml")).Root!.Element("Members")!.Elements("TicketCategoryMember").ToList();
        Assert.Equal(("2", "1"), (members.Single().Element("AssociateId")!.Value, members.Single().Element("OpenCount")!.Value));
    }

    public static TheoryData<string, string, string?, string?, int, string> BadRequests => new()
    {
        { "PUT", "/api/v1/TicketCategories/0", "application/json", Category("Even", ""), 400, "categoryId" },
        { "PUT", "/api/v1/TicketCategories/-1", "application/json", Category("Even", ""), 400, "categoryId" },
        { "PUT", "/api/v1/TicketCategories/x", "application/json", Category("Even", ""), 400, "categoryId" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", Category("Random", ""), 400, "Method" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", Category("Even", """{"AssociateId":-2}"""), 400, "Members[0].AssociateId" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", Category("Even", """{"AssociateId":2},{"AssociateId":2}"""), 400, "Members[1].AssociateId" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", Category("Even", "", ""","Colour":"red" """), 400, "Colour" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", Category("Even", string.Join(",", Enumerable.Range(1, 1001).Select(i => $$"""{"AssociateId":{{i}}}"""))), 400, "Members" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", Category("Even", "", ""","Name":" """ + new string(' ', 140_000) + "\""), 413, "Body" },
        { "PUT", "/api/v1/TicketCategories/11", "application/xml", "<TicketCategory><Name>S</Name><Method>Even</Method></TicketCategory>", 415, "Content-Type" },
        { "PUT", "/api/v1/TicketCategories/11", "application/json", "", 400, "Body" },
        { "PUT", "/api/v1/Tickets/0", "application/json", """{"CategoryId":10}""", 400, "ticketId" },
        { "PUT", "/api/v1/Tickets/2", "application/json", """{"CategoryId":99}""", 400, "CategoryId" },
        { "PUT", "/api/v1/Tickets/2", "application/json", """{"OwnerId":2}""", 400, "CategoryId" },
        { "PUT", "/api/v1/Tickets/1", "application/json", """{"CategoryId":99}""", 400, "CategoryId" },
        { "PUT", "/api/v1/Tickets/1", "application/json", """{"State":"Pending"}""", 400, "State" },
        { "PUT", "/api/v1/Tickets/1", "application/json", """{"OwnerId":-1}""", 400, "OwnerId" },
        { "PUT", "/api/v1/Tickets/1", "application/json", """{"Owner":3}""", 400, "Owner" },
        { "PUT", "/api/v1/Tickets/1", "application/json", """{}""", 400, "Body" },
        { "PUT", "/api/v1/Tickets/1", "application/json", """{"State":"Closed","Note":" """ + new string('x', 70_000) + "\"}", 413, "Body" },
        { "PUT", "/api/v1/Tickets/1", "application/json-patch+json", """[{"op":"replace","path":"/State","value":"Closed"}]""", 415, "Content-Type" },
        { "POST", "/api/v1/Tickets/-1/Messages", null, null, 400, "ticketId" },
        { "POST", "/api/v1/Tickets/1/Messages", "text/plain", new string('x', 70_000), 413, "Body" },
        { "POST", "/api/v1/Tickets/9/Messages", null, null, 404, "Route" },
        { "GET", "/api/v1/Tickets/9", null, null, 404, "Route" },
        { "GET", "/api/v1/TicketCategories/99", null, null, 404, "Route" },
        { "GET", "/api/v1/TicketCategories/10/Tickets?$top=0", null, null, 400, "$top" },
        { "GET", "/api/v1/TicketCategories/10/Tickets?$top=1001", null, null, 400, "$top" },
        { "GET", "/api/v1/TicketCategories/10/Tickets?$skip=10001", null, null, 400, "$skip" },
        { "GET", "/api/v1/TicketCategories/10/Tickets?state=Pending", null, null, 400, "state" },
        { "GET", "/api/v1/TicketCategories/10/Tickets?owner=2", null, null, 400, "owner" },
        { "GET", "/api/v1/TicketCategories/10/Tickets?$continuation=forged", null, null, 400, "$continuation" },
        { "GET", "/api/v1/User/0/Tickets", null, null, 400, "associateId" },
        { "GET", "/api/v1/User/2/Tickets?$continuation=forged", null, null, 400, "$continuation" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInputGetsA4xxWithTheErrorBodyAndWritesNothing(string method, string path, string? contentType, string? body, int status, string source)
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2}"""));
        await PutTicketAsync(api, 1, """{"CategoryId":10}""");
        await api.SettledAsync(); // the arrival's outbox row is removed after the answer
        var rows = await TicketRowsAsync(api);

        var response = await api.SendAsync(api.Client, new HttpMethod(method), path, body, contentType, "application/json");

        var error = JsonDocument.Parse(await response.AssertAsync(status, "application/json")).RootElement;
        Assert.True(error.GetProperty("Error").GetBoolean());
        Assert.Equal(source, error.GetProperty("ErrorSource").GetString());
        Assert.Equal(rows, await TicketRowsAsync(api));
    }

    [Fact]
    public async Task WritesNeedAnAdministratorAndReadsAnySignedInCaller()
    {
        await using var api = await TestApi.StartAsync(azurite);
        await PutCategoryAsync(api, 10, Category("FewestOpen", """{"AssociateId":2}"""));
        await PutTicketAsync(api, 1, """{"CategoryId":10}""");
        await api.Credentials.AddOrUpdateUserAsync("agent", "Agent-password", 2, isAdministrator: false, Ct);
        var agent = new Dictionary<string, string> { ["Authorization"] = TestApi.Basic("agent", "Agent-password").ToString() };
        var rows = await TicketRowsAsync(api);

        foreach (var (method, path, body) in new[]
        {
            ("PUT", "/api/v1/TicketCategories/10", Category("Even", "")),
            ("PUT", "/api/v1/TicketCategories/11", Category("Even", "")),
            ("PUT", "/api/v1/Tickets/1", """{"State":"Closed"}"""),
            ("PUT", "/api/v1/Tickets/2", """{"CategoryId":10}"""),
            ("POST", "/api/v1/Tickets/1/Messages", "{}"),
        })
        {
            var response = await api.SendAsync(api.Anonymous, new HttpMethod(method), path, body, "application/json", "application/json", agent);
            Assert.Equal("Forbidden", JsonDocument.Parse(await response.AssertAsync(403, "application/json")).RootElement.GetProperty("ErrorType").GetString());
        }

        Assert.Equal(rows, await TicketRowsAsync(api));
        foreach (var path in new[] { "/api/v1/TicketCategories/10", "/api/v1/Tickets/1", "/api/v1/TicketCategories/10/Tickets", "/api/v1/User/2/Tickets" })
        {
            await (await api.SendAsync(api.Anonymous, HttpMethod.Get, path, headers: agent)).AssertAsync(200, "application/json");
        }
    }

    [Theory]
    [InlineData("PUT", "/api/v1/TicketCategories/10")]
    [InlineData("GET", "/api/v1/TicketCategories/10")]
    [InlineData("GET", "/api/v1/TicketCategories/10/Tickets")]
    [InlineData("PUT", "/api/v1/Tickets/1")]
    [InlineData("GET", "/api/v1/Tickets/1")]
    [InlineData("POST", "/api/v1/Tickets/1/Messages")]
    [InlineData("GET", "/api/v1/User/2/Tickets")]
    public async Task EveryTicketRouteNeedsCredentials(string method, string path)
    {
        await using var api = await TestApi.StartAsync(azurite);

        var body = method == "GET" ? null : """{"CategoryId":10}""";
        var response = await api.SendAsync(api.Anonymous, new HttpMethod(method), path, body, body is null ? null : "application/json", "application/json");

        await response.AssertAsync(401, "application/json");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Empty(await TicketRowsAsync(api));
    }

    [Fact]
    public async Task AnUnsupportedMethodOnATicketRouteIs405NamingTheMethodsItAnswers()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var response = await api.SendAsync(HttpMethod.Delete, "/api/v1/Tickets/1");

        await response.AssertAsync(405, "application/json");
        Assert.Equal(["GET", "PUT"], response.Content.Headers.Allow.Order());
    }
}
