using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.OpenApi;

/// <summary>docs/openapi.json against the built app: valid OpenAPI 3.1, every declared route described, served as it is.</summary>
public sealed class OpenApiDocumentTests(AzuriteFixture azurite)
{
    [Fact]
    public void TheDocumentIsValidOpenApi31WithNoErrorsOrWarnings()
    {
        var read = OpenApiDocument.Parse(OpenApiContract.Instance.Text, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.NotNull(read.Document);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic?.SpecificationVersion);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Empty(read.Diagnostic?.Warnings ?? []);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
    }

    [Fact]
    public void EveryRouteInFunctionsMetadataIsDescribedWithItsMethodsAndNothingElseIs()
    {
        var declared = FunctionsMetadata.HttpRoutes()
            .Where(r => r.Route != "{*path}")
            .SelectMany(r => r.Methods.Select(m => $"{m} /{r.Route}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var described = OpenApiContract.Instance.Document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "put" or "post" or "delete" or "patch").Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(declared);
        Assert.Equal(declared, described);
    }

    [Fact]
    public void EveryOperationDocumentsTheErrorBodyForEveryErrorStatus()
    {
        var contract = OpenApiContract.Instance;
        foreach (var (path, item) in contract.Document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "put" or "post"))
            {
                var missing = operation!["responses"]!.AsObject()
                    .Where(r => r.Key.StartsWith('4') && !(r.Value!["$ref"]?.GetValue<string>() ?? "").StartsWith("#/components/responses/", StringComparison.Ordinal))
                    .Select(r => r.Key);
                Assert.True(!missing.Any(), $"{method} {path}: errors {string.Join(", ", missing)} should use the shared error responses.");
            }
        }
    }

    [Fact]
    public async Task TheAppServesTheDocumentAsItIsWithoutCredentials()
    {
        await using var api = await TestApi.StartAsync(azurite);
        using var response = await api.Anonymous.GetAsync("/api/openapi.json", TestContext.Current.CancellationToken);
        var served = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(OpenApiContract.FilePath, TestContext.Current.CancellationToken), served);
    }

    [Fact]
    public void TheContractCatchesABodyThatDoesNotMatch()
    {
        // The checking handler is only worth something if a wrong body fails: prove it on the carrier and the error body.
        var contract = OpenApiContract.Instance;
        Assert.Null(contract.CheckJson("UserPresenceStatus", JsonElement.Parse("""{"Status":"StatusNormal","Message":null}"""), "ok"));
        Assert.NotNull(contract.CheckJson("UserPresenceStatus", JsonElement.Parse("""{"Status":"Present","Message":null}"""), "bad status"));
        Assert.NotNull(contract.CheckJson("Error", JsonElement.Parse("""{"Error":true,"ErrorType":"BadRequest","ErrorMessage":"x"}"""), "no source"));
        Assert.NotNull(contract.Check("PUT", "/api/v1/User/7/UserPresenceStatus", 418, "application/json", "{}"u8));
        Assert.NotNull(contract.Check("GET", "/api/v1/User/7/UserPresenceStatus", 200, "text/plain", "x"u8));
        Assert.Null(contract.Check("GET", "/api/v1/User/7/UserPresenceStatus", 200, "application/xml", "<UserPresenceStatus/>"u8));
    }
}
