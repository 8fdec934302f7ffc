using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PresenceFunctions.Http;

/// <summary>An already-serialized response: runs the same in the Functions worker and on plain Kestrel.</summary>
public sealed class PayloadResult(int statusCode, string contentType, byte[] body, IReadOnlyList<KeyValuePair<string, string>> headers)
    : IActionResult
{
    public int StatusCode => statusCode;

    public string ContentType => contentType;

    public ReadOnlyMemory<byte> Body => body;

    public IReadOnlyList<KeyValuePair<string, string>> Headers => headers;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }

    /// <summary>The same answer without MVC's ActionContext, which costs a ModelStateDictionary and RouteData per request.</summary>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;

        // Every answer is specific to its caller and typed by Content-Type: never cached, never sniffed.
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        foreach (var (name, value) in headers)
        {
            response.Headers.Append(name, value);
        }

        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
