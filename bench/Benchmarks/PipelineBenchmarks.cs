using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Serialization;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Cli.Azurite;

namespace PresenceFunctions.Benchmarks;

/// <summary>
/// The HTTP pipeline's own cost per request — route to the function class, negotiate, authenticate (Basic, from
/// cache), parse, validate, serialize, $select — with storage swapped for memory, beside a minimal ASP.NET Core
/// endpoint that reads and echoes the same body with the framework's serializers. Both run on TestServer.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class PipelineBenchmarks
{
    private const string SetJson = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""";
    private const string SetXml = "<SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus></SetUserPresenceStatusRequest>";
    private static readonly XmlSerializer RequestXml = new(typeof(SetRequestDto));
    private static readonly XmlSerializer CarrierXml = new(typeof(CarrierDto));

    private AzuriteProcess azurite = null!;
    private WebApplication presence = null!;
    private WebApplication echo = null!;
    private HttpClient presenceClient = null!;
    private HttpClient echoClient = null!;
    private byte[] body = [];
    private string mediaType = "";

    [Params("json", "xml")]
    public string Format { get; set; } = "json";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<int> MinimalEndpoint() => SendAsync(echoClient, "/echo");

    [Benchmark]
    public Task<int> PresencePipeline() => SendAsync(presenceClient, "/api/v1/Agents/User/SetUserPresenceStatus?$select=Status,Message");

    private Task<int> SendAsync(HttpClient client, string path) => BenchPresenceHost.PostAsync(client, path, body, mediaType);

    private async Task SetupAsync()
    {
        mediaType = Format == "xml" ? "application/xml" : "application/json";
        body = Encoding.UTF8.GetBytes(Format == "xml" ? SetXml : SetJson);

        // Storage only for the one Basic verification; after it, authentication is served from the cache.
        azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, CancellationToken.None).ConfigureAwait(false);
        presence = await BenchPresenceHost.StartAsync(azurite.ConnectionString).ConfigureAwait(false);
        presenceClient = presence.GetTestClient();
        presenceClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(BenchPresenceHost.User + ":" + BenchPresenceHost.Password)));
        presenceClient.DefaultRequestHeaders.Accept.ParseAdd(mediaType);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();

        // Same logging as the presence host (warnings only): per-request console logs would slow the baseline.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        echo = builder.Build();
        echo.MapPost("/echo", Format == "xml" ? EchoXmlAsync : EchoJsonAsync);
        await echo.StartAsync().ConfigureAwait(false);
        echoClient = echo.GetTestClient();

        // Both must answer 200 before anything is measured.
        if (await PresencePipeline().ConfigureAwait(false) < 200 || await MinimalEndpoint().ConfigureAwait(false) < 200)
        {
            throw new InvalidOperationException("A benchmark endpoint does not answer.");
        }
    }

    // The baseline is written to be fast, not merely short: the body is read whole, then deserialized,
    // and the answer serialized to bytes and written once with its length, as the pipeline does.
    private static async Task EchoJsonAsync(HttpContext context)
    {
        var buffer = await ReadAsync(context).ConfigureAwait(false);
        var request = JsonSerializer.Deserialize<SetRequestDto>(buffer.AsSpan(), JsonSerializerOptions.Web);
        await WriteAsync(context, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(request?.UserPresenceStatus, JsonSerializerOptions.Web)).ConfigureAwait(false);
    }

    private static async Task EchoXmlAsync(HttpContext context)
    {
        var buffer = await ReadAsync(context).ConfigureAwait(false);
        using var reader = System.Xml.XmlReader.Create(new MemoryStream(buffer), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null });
        var request = (SetRequestDto?)RequestXml.Deserialize(reader);
        using var output = new MemoryStream();
        CarrierXml.Serialize(output, request?.UserPresenceStatus);
        await WriteAsync(context, "application/xml; charset=utf-8", output.ToArray()).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream((int)(context.Request.ContentLength ?? 256));
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private async Task CleanupAsync()
    {
        presenceClient.Dispose();
        echoClient.Dispose();
        await presence.DisposeAsync().ConfigureAwait(false);
        await echo.DisposeAsync().ConfigureAwait(false);
        await azurite.DisposeAsync().ConfigureAwait(false);
    }
}
