using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Cli.Bench;

/// <summary>
/// The least an HTTP endpoint in front of a Set's transaction can do: a bare Kestrel (no routing, auth, parsing or
/// logging) that takes a Set's request, sends the raw transaction and answers with a Set's answer body. Measured beside
/// the raw transaction, it shows what the HTTP hop alone costs on this machine; beside the Sets, what our code adds.
/// </summary>
public sealed class HttpFloor : IAsyncDisposable
{
    private const string Prefix = "/floor/";
    private readonly WebApplication app;
    private readonly RawStorageWorkload storage;
    private readonly byte[] answer;
    private readonly string contentType;

    private HttpFloor(WebApplication app, RawStorageWorkload storage, byte[] answer, string contentType)
    {
        this.app = app;
        this.storage = storage;
        this.answer = answer;
        this.contentType = contentType;
    }

    /// <summary>Starts the endpoint on loopback; <paramref name="answer"/> is what each request gets back (a Set's answer body, so the same body crosses the wire).</summary>
    public static async Task<HttpFloor> StartAsync(RawStorageWorkload storage, byte[] answer, string contentType, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var floor = new HttpFloor(builder.Build(), storage, answer, contentType);
        floor.app.Run(floor.HandleAsync);
        try
        {
            await floor.app.StartAsync(cancellationToken).ConfigureAwait(false);
            return floor;
        }
        catch
        {
            await floor.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Uri Address => LoopbackAddress.Of(app);

    /// <summary>The path a request for <paramref name="key"/> goes to, relative to <see cref="Address"/>.</summary>
    public static string PathOf(int key) => string.Create(CultureInfo.InvariantCulture, $"floor/{key}");

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !int.TryParse(path.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var key) || !storage.Knows(key))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // The body is read (a Set reads and parses it), then the transaction, then a Set's answer.
        var cancellationToken = context.RequestAborted;
        await context.Request.BodyReader.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        await storage.CommitAsync(key, 0, cancellationToken).ConfigureAwait(false);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync().ConfigureAwait(false);
}
