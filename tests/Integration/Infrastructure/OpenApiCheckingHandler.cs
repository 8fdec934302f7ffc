namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>
/// Holds every answer a test receives to docs/openapi.json: its status must be documented for the route and a
/// JSON body must match the declared schema (errors: SuperOffice's error body). A mismatch fails the test.
/// </summary>
public sealed class OpenApiCheckingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var problem = OpenApiContract.Instance.Check(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            body);
        return problem is null ? response : throw new OpenApiViolationException(problem);
    }
}

public sealed class OpenApiViolationException(string message) : Exception(message);
