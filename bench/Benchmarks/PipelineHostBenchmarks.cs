using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Hosting;

namespace PresenceFunctions.Benchmarks;

/// <summary>
/// What <see cref="PipelineBenchmarks"/>'s JSON presence request spends outside Core, one difference from the minimal
/// endpoint at a time: the headers the presence client sends and receives, the presence host (telemetry, the route
/// table with its catch-all), the request scope with authentication, and finally the real route.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class PipelineHostBenchmarks
{
    private const string SetJson = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""";

    private AzuriteProcess azurite = null!;
    private WebApplication presence = null!;
    private WebApplication echo = null!;
    private WebApplication routes = null!;
    private HttpClient routesClient = null!;
    private HttpClient presenceClient = null!;
    private HttpClient echoClient = null!;
    private HttpClient echoWithHeadersClient = null!;
    private readonly byte[] body = Encoding.UTF8.GetBytes(SetJson);

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    /// <summary>As <see cref="PipelineBenchmarks.MinimalEndpoint"/>.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> MinimalEndpoint() => SendAsync(echoClient, "/echo");

    /// <summary>The minimal endpoint sent Authorization and Accept, answering the pipeline's two extra headers: the harness's share.</summary>
    [Benchmark]
    public Task<int> MinimalWithPresenceHeaders() => SendAsync(echoWithHeadersClient, "/echo-headers");

    /// <summary>The same echo on a slim host that also maps the presence routes (with their catch-all): the route table's share.</summary>
    [Benchmark]
    public Task<int> EchoAmongPresenceRoutes() => SendAsync(routesClient, "/bench/echo");

    /// <summary>The same echo on the presence host: its telemetry, middleware and route table.</summary>
    [Benchmark]
    public Task<int> EchoOnPresenceHost() => SendAsync(presenceClient, "/bench/echo");

    /// <summary>The echo on the presence host after authenticating as the pipeline does: the request scope and the handlers.</summary>
    [Benchmark]
    public Task<int> AuthenticatedEchoOnPresenceHost() => SendAsync(presenceClient, "/bench/authenticated-echo");

    /// <summary>As <see cref="PipelineBenchmarks.PresencePipeline"/>.</summary>
    [Benchmark]
    public Task<int> PresencePipeline() => SendAsync(presenceClient, "/api/v1/Agents/User/SetUserPresenceStatus?$select=Status,Message");

    private Task<int> SendAsync(HttpClient client, string path) => BenchPresenceHost.PostAsync(client, path, body, "application/json");

    private async Task SetupAsync()
    {
        azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, CancellationToken.None).ConfigureAwait(false);
        presence = await BenchPresenceHost.StartAsync(azurite.ConnectionString, app =>
        {
            app.MapPost("/bench/echo", context => EchoAsync(context, presenceHeaders: true));
            app.MapPost("/bench/authenticated-echo", async context =>
            {
                var result = await context.AuthenticateAsync(SuperOfficeSchemes.Policy).ConfigureAwait(false);
                _ = CallerPrincipal.ToCaller(result.Principal!);
                await EchoAsync(context, presenceHeaders: true).ConfigureAwait(false);
            });
        }).ConfigureAwait(false);
        presenceClient = WithPresenceHeaders(presence.GetTestClient());

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        echo = builder.Build();
        echo.MapPost("/echo", context => EchoAsync(context, presenceHeaders: false));
        echo.MapPost("/echo-headers", context => EchoAsync(context, presenceHeaders: true));
        await echo.StartAsync().ConfigureAwait(false);
        echoClient = echo.GetTestClient();
        echoWithHeadersClient = WithPresenceHeaders(echo.GetTestClient());

        var routesBuilder = WebApplication.CreateSlimBuilder();
        routesBuilder.WebHost.UseTestServer();
        routesBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        routes = routesBuilder.Build();
        routes.MapLocalRoutes();
        routes.MapPost("/bench/echo", context => EchoAsync(context, presenceHeaders: true));
        await routes.StartAsync().ConfigureAwait(false);
        routesClient = WithPresenceHeaders(routes.GetTestClient());

        // Every variant must answer 200 before anything is measured.
        foreach (var (client, path) in new[] { (echoClient, "/echo"), (echoWithHeadersClient, "/echo-headers"), (routesClient, "/bench/echo"), (presenceClient, "/bench/echo"), (presenceClient, "/bench/authenticated-echo"), (presenceClient, "/api/v1/Agents/User/SetUserPresenceStatus") })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(path, content).ConfigureAwait(false);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path} answers {response.StatusCode}.");
            }
        }
    }

    private static HttpClient WithPresenceHeaders(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(BenchPresenceHost.User + ":" + BenchPresenceHost.Password)));
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    private static async Task EchoAsync(HttpContext context, bool presenceHeaders)
    {
        using var buffer = new MemoryStream((int)(context.Request.ContentLength ?? 256));
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var request = JsonSerializer.Deserialize<SetRequestDto>(buffer.ToArray().AsSpan(), JsonSerializerOptions.Web);
        var answer = JsonSerializer.SerializeToUtf8Bytes(request?.UserPresenceStatus, JsonSerializerOptions.Web);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = answer.Length;
        if (presenceHeaders)
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
        }

        await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task CleanupAsync()
    {
        presenceClient.Dispose();
        echoClient.Dispose();
        echoWithHeadersClient.Dispose();
        routesClient.Dispose();
        await routes.DisposeAsync().ConfigureAwait(false);
        await presence.DisposeAsync().ConfigureAwait(false);
        await echo.DisposeAsync().ConfigureAwait(false);
        await azurite.DisposeAsync().ConfigureAwait(false);
    }
}
