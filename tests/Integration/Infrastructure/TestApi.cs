using System.Net.Http.Headers;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Hosting;

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>
/// The function app as <c>presence serve</c> builds it, on TestServer, against the test's Azurite with
/// tables of its own. Requests go through the real function classes.
/// </summary>
public sealed class TestApi : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const int AdminAssociateId = 1;

    private TestApi(WebApplication app, string presenceTable, string connectionString)
    {
        App = app;
        Client = CheckedClient(app);
        Anonymous = CheckedClient(app);
        PresenceTable = new TableServiceClient(connectionString).GetTableClient(presenceTable);
    }

    public WebApplication App { get; }

    /// <summary>Signed in as an Administrator (Basic), unless the test started without one.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no credentials of its own.</summary>
    public HttpClient Anonymous { get; }

    public CredentialStore Credentials => Services.GetRequiredService<CredentialStore>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public TableClient PresenceTable { get; }

    public IServiceProvider Services => App.Services;

    public static Task<TestApi> StartAsync(AzuriteFixture azurite, Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null) =>
        StartAsync(azurite.ConnectionString, services, settings);

    public static async Task<TestApi> StartAsync(string connectionString, Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null, bool signedIn = true)
    {
        var table = "p" + Guid.NewGuid().ToString("N");
        var overrides = new Dictionary<string, string?>
        {
            ["PresenceStorage"] = connectionString,
            ["Tables:Presence"] = table,
            ["Tables:Credentials"] = "c" + Guid.NewGuid().ToString("N"),
            ["Tables:Tickets"] = "t" + Guid.NewGuid().ToString("N"),

            // Tests run the relay themselves, when they mean to, with no grace period.
            ["Serve:Timers"] = "false",
            ["Outbox:GraceSeconds"] = "0",

            // And sent rows are removed at once (no grace leaves no time to wait); SentRowFoldingTests set both.
            ["Outbox:CleanupDelaySeconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        table = overrides["Tables:Presence"]!; // a test may point the app at another's table

        var app = LocalFunctionHost.Build(overrides, builder =>
        {
            builder.WebHost.UseTestServer();
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var api = new TestApi(app, table, connectionString);
        if (signedIn)
        {
            var password = Guid.NewGuid().ToString("N");
            await api.Credentials.AddOrUpdateUserAsync(AdminUser, password, AdminAssociateId, isAdministrator: true, CancellationToken.None);
            api.Client.DefaultRequestHeaders.Authorization = Basic(AdminUser, password);
        }

        return api;
    }

    /// <summary>A client of the test server whose every answer is held to docs/openapi.json.</summary>
    public static HttpClient CheckedClient(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var server = app.GetTestServer();
        return new HttpClient(new OpenApiCheckingHandler(server.CreateHandler())) { BaseAddress = server.BaseAddress };
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = null, string? accept = null) =>
        SendAsync(Client, method, path, body, contentType, accept);

    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null, string? contentType = null, string? accept = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Waits until the events committed so far are published (the dispatch queue is idle) and, without Service Bus, their
    /// rebalance passes have run, including the assignment events those passes queue in turn.
    /// </summary>
    public async Task SettledAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var queue = Get<PresenceFunctions.Events.EventDispatchQueue>();
        var subscription = Services.GetService<InProcessSubscription>();
        while (true)
        {
            await queue.WhenIdleAsync(cancellationToken);
            var passes = subscription?.WhenIdleAsync(cancellationToken) ?? Task.CompletedTask;
            if (passes.IsCompleted && queue.Pending == 0)
            {
                return;
            }

            await passes;
        }
    }

    /// <summary>Every row in one associate's partition; none when the table was never created.</summary>
    public Task<List<TableEntity>> RowsAsync(int associateId) =>
        RowsAsync($"PartitionKey eq '{associateId.ToString(System.Globalization.CultureInfo.InvariantCulture)}'");

    /// <summary>Every row of the presence table (or of those matching an OData filter); none when it was never created.</summary>
    public async Task<List<TableEntity>> RowsAsync(string? filter = null)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in PresenceTable.QueryAsync<TableEntity>(filter, cancellationToken: TestContext.Current.CancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await App.DisposeAsync();
    }
}

public static class HttpResponseAssertions
{
    public static async Task<string> AssertAsync(this HttpResponseMessage response, int status, string mediaType)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return body;
    }

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}

public static class TestServices
{
    /// <summary>Publishes through the real Service Bus publisher, into the given sender.</summary>
    public static IServiceCollection UseServiceBus(this IServiceCollection services, Azure.Messaging.ServiceBus.ServiceBusSender sender)
    {
        services.AddSingleton(sender);
        services.AddSingleton<PresenceFunctions.Presence.IPresenceEventPublisher, PresenceFunctions.Events.ServiceBusEventPublisher>();
        return services;
    }

    /// <summary>Publishes assignment events through the real Service Bus publisher, into the given sender (the ticket topic's).</summary>
    public static IServiceCollection UseTicketServiceBus(this IServiceCollection services, Azure.Messaging.ServiceBus.ServiceBusSender sender)
    {
        services.AddKeyedSingleton(PresenceFunctions.Events.ServiceBusTicketEventPublisher.SenderKey, sender);
        services.AddSingleton<PresenceFunctions.Tickets.ITicketEventPublisher, PresenceFunctions.Events.ServiceBusTicketEventPublisher>();
        return services;
    }
}
