using Azure.Identity;
using PresenceFunctions.Functions.Telemetry;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Observability;

/// <summary>Where telemetry goes and as whom, from the settings Azure and a developer set.</summary>
public sealed class TelemetryCompositionTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("ClientId=8d3c1a52-5f0e-4c4e-9d49-0f1b2a3c4d5e;Authorization=AAD")]
    [InlineData("Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 8d3c1a52-5f0e-4c4e-9d49-0f1b2a3c4d5e ")]
    public void AnEntraAuthenticationStringSendsTelemetryWithTheManagedIdentity(string setting) =>
        Assert.IsType<ManagedIdentityCredential>(ApplicationInsightsCredential.From(setting));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void WithoutAnAuthenticationStringTheConnectionStringAloneIsUsed(string? setting) =>
        Assert.Null(ApplicationInsightsCredential.From(setting));

    [Theory]
    [InlineData("ClientId=8d3c1a52-5f0e-4c4e-9d49-0f1b2a3c4d5e")]
    [InlineData("Authorization=Key")]
    [InlineData("Authorization=AAD;Authorization=AAD")]
    [InlineData("AAD")]
    public void AnAuthenticationStringThatDoesNotAskForEntraIdStopsTheAppWithTheSettingsName(string setting)
    {
        var e = Assert.Throws<InvalidOperationException>(() => ApplicationInsightsCredential.From(setting));
        Assert.Contains(ApplicationInsightsCredential.Setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppServesWithBothExportersConfiguredEvenWhenNeitherEndpointAnswers()
    {
        await using var api = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            [TelemetryServiceCollectionExtensions.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
            [TelemetryServiceCollectionExtensions.OtlpEndpointSetting] = "http://127.0.0.1:9",
        });

        await (await api.SendAsync(HttpMethod.Put, "/api/v1/User/69/UserPresenceStatus", """{"Status": 2}""", "application/json")).AssertAsync(200, "application/json");
    }
}
