using System.Text;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PresenceFunctions.Auth;
using PresenceFunctions.Events;
using PresenceFunctions.Functions.Credentials;
using PresenceFunctions.Functions.Events;
using PresenceFunctions.Functions.Http;
using PresenceFunctions.Functions.Presence;
using PresenceFunctions.Functions.Tickets;
using PresenceFunctions.Health;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Functions;

/// <summary>Each function class, invoked as the worker invokes it, reaches Core: what one writes, the next reads back.</summary>
public sealed class FunctionClassTests(AzuriteFixture azurite)
{
    private const string User = "functions";
    private const string Password = "functions-password";

    [Fact]
    public async Task ThePresenceFunctionsSetAndReadPresenceThroughCore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await StartAsync();
        var endpoints = api.Get<PresenceEndpoints>();

        var set = await RunAsync(new SetUserPresenceStatus(endpoints).Run(Request(api, "POST", """{"AssociateId": 301, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}"""), ct));
        var put = await RunAsync(new PutUserPresence(endpoints).Run(Request(api, "PUT", """{"Status": "StatusNotAvailable", "Message": "Dentist"}"""), "302", ct));
        var get = await RunAsync(new GetUserPresenceStatus(endpoints).Run(Request(api, "POST", """{"AssociateId": 301}"""), ct));
        var getById = await RunAsync(new GetUserPresence(endpoints).Run(Request(api, "GET"), "302", ct));

        Assert.Equal((200, 200, 200, 200), (set.Status, put.Status, get.Status, getById.Status));
        Assert.Contains("Lunch", get.Body, StringComparison.Ordinal);
        Assert.Contains("Dentist", getById.Body, StringComparison.Ordinal);
        Assert.Equal("Dentist", (await api.Get<PresenceFunctions.Presence.PresenceService>().GetAsync(302, ct)).Message);
    }

    [Fact]
    public async Task TheTicketFunctionsWriteAndReadTicketsThroughCore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await StartAsync();
        var endpoints = api.Get<TicketEndpoints>();

        var putCategory = await RunAsync(new PutTicketCategory(endpoints).Run(Request(api, "PUT", """{"Name": "Support", "Method": "FewestOpen", "Members": [{"AssociateId": 303}]}"""), "40", ct));
        var getCategory = await RunAsync(new GetTicketCategory(endpoints).Run(Request(api, "GET"), "40", ct));
        var putTicket = await RunAsync(new PutTicket(endpoints).Run(Request(api, "PUT", """{"CategoryId": 40}"""), "4001", ct));
        var message = await RunAsync(new PostTicketMessage(endpoints).Run(Request(api, "POST"), "4001", ct));
        var getTicket = await RunAsync(new GetTicket(endpoints).Run(Request(api, "GET"), "4001", ct));
        var category = await RunAsync(new ListCategoryTickets(endpoints).Run(Request(api, "GET"), "40", ct));
        var user = await RunAsync(new ListUserTickets(endpoints).Run(Request(api, "GET"), "303", ct));

        Assert.Equal([200, 200, 200, 200, 200, 200, 200], new[] { putCategory, getCategory, putTicket, message, getTicket, category, user }.Select(r => r.Status));
        Assert.Contains("\"OwnerId\":303", getTicket.Body, StringComparison.Ordinal);
        Assert.Contains("\"TicketId\":4001", user.Body, StringComparison.Ordinal);
        Assert.Equal(303, (await api.Get<TicketService>().GetTicketAsync(4001, ct)).OwnerId);
    }

    [Fact]
    public async Task TheAnonymousHttpFunctionsAnswerWithCoresHealthDocumentAndErrorBody()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await StartAsync();

        var health = await RunAsync(new PresenceFunctions.Functions.Http.Health(api.Get<HealthEndpoint>()).Run(Request(api, "GET"), ct));
        var openApi = await RunAsync(Task.FromResult(OpenApiDescription.Run(Request(api, "GET"))));
        var unknown = Request(api, "GET");
        unknown.Path = "/api/v1/Nowhere";
        var notFound = await RunAsync(Task.FromResult(RouteNotFound.Run(unknown)));

        Assert.Equal(200, health.Status);
        Assert.Contains("\"storage\"", health.Body, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(OpenApiEndpoint.Document.Span), openApi.Body);
        Assert.Equal(404, notFound.Status);
        Assert.Contains("No route matches this path.", notFound.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayPresenceOutboxSendsWhatASetLeftInTheOutbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = new FlakySender { Failing = true };
        await using var api = await StartAsync(sender);
        await RunAsync(new PutUserPresence(api.Get<PresenceEndpoints>()).Run(Request(api, "PUT", """{"Status": 2}"""), "303", ct));
        await api.SettledAsync(); // the attempt after the answer has failed
        Assert.Empty(sender.Sent);
        sender.Failing = false;

        await new RelayPresenceOutbox(api.Get<OutboxRelay>()).Run(new TimerInfo(), ct);

        Assert.Equal(["presence-303-1"], sender.Sent.Select(m => m.MessageId));
    }

    [Fact]
    public async Task RelayTicketOutboxSendsWhatACommitLeftInTheTicketOutbox()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = new FlakySender();
        await using var api = await StartAsync(services: s => s.UseTicketServiceBus(sender));
        var pending = await TicketOutboxRows.WriteAsync(api, 305, 41, 2, 7, DateTimeOffset.UtcNow.AddMinutes(-1));

        await new RelayTicketOutbox(api.Get<TicketOutboxRelay>()).Run(new TimerInfo(), ct);

        Assert.Equal([pending.EventId], sender.Sent.Select(m => m.MessageId));
    }

    [Fact]
    public async Task PurgeExpiredTicketsRemovesAnExpiredTicket()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var api = await StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var expired = await api.Credentials.IssueSoTicketAsync(304, false, TimeSpan.FromHours(1), ct);
        time.Advance(TimeSpan.FromHours(2));
        Assert.NotNull(await api.Credentials.FindSoTicketAsync(expired.Ticket, ct));

        await new PurgeExpiredSoTickets(api.Get<ExpiredSoTicketPurge>()).Run(new TimerInfo(), ct);

        Assert.Null(await api.Credentials.FindSoTicketAsync(expired.Ticket, ct));
    }

    [Fact]
    public async Task RebalanceTicketsHandsTheMessageToTheRebalancer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await StartAsync();
        var body = new BinaryData(PresenceChangedEvent.Encode(PresenceChangedEvent.Create(
            new PresenceChangedData(305, "StatusNotAvailable", "StatusAvailable", null, 1, DateTimeOffset.UtcNow, 305))));

        // A well-formed event for an associate in no category is handled (no pass to run); a malformed one throws.
        await new RebalanceTickets(api.Get<TicketRebalancer>()).Run(ServiceBusModelFactory.ServiceBusReceivedMessage(body: body), ct);
        await Assert.ThrowsAnyAsync<Exception>(() => new RebalanceTickets(api.Get<TicketRebalancer>()).Run(
            ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("{}")), ct));
    }

    private async Task<TestApi> StartAsync(FlakySender? sender = null, Action<IServiceCollection>? services = null)
    {
        var api = await TestApi.StartAsync(azurite, s =>
        {
            if (sender is not null)
            {
                s.UseServiceBus(sender);
            }

            services?.Invoke(s);
        });
        await api.Credentials.AddOrUpdateUserAsync(User, Password, 1, isAdministrator: true, TestContext.Current.CancellationToken);
        return api;
    }

    /// <summary>A request as the worker's ASP.NET Core integration hands it to a function.</summary>
    private static HttpRequest Request(TestApi api, string method, string? json = null)
    {
        var context = new DefaultHttpContext { RequestServices = api.Services };
        context.Request.Method = method;
        context.Request.Headers.Authorization = TestApi.Basic(User, Password).ToString();
        context.Request.Headers.Accept = "application/json";
        if (json is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Runs the function's result as the worker does, and reads what it wrote.</summary>
    private static async Task<(int Status, string Body)> RunAsync(Task<IActionResult> answer)
    {
        var result = await answer;
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return (context.Response.StatusCode, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }
}
