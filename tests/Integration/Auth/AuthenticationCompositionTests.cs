using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PresenceFunctions.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>
/// Authentication as the Functions worker gets it: only the shared composition root, no WebApplication and no
/// authentication middleware; the pipeline's own AuthenticateAsync call is all there is.
/// </summary>
public sealed class AuthenticationCompositionTests(AzuriteFixture azurite)
{
    private ServiceProvider Build(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["PresenceStorage"] = azurite.ConnectionString,
            ["Tables:Presence"] = "p" + Guid.NewGuid().ToString("N"),
            ["Tables:Credentials"] = "c" + Guid.NewGuid().ToString("N"),
            ["Tables:Tickets"] = "t" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddPresenceCore(configuration).BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public async Task TheFunctionsCompositionRootAloneAuthenticatesBasicTicketsAndNothingThroughThePolicyScheme()
    {
        await using var services = Build();
        var store = services.GetRequiredService<CredentialStore>();
        await store.AddOrUpdateUserAsync("tje0", "Tje0", 259, isAdministrator: false, CancellationToken.None);
        var ticket = await store.IssueSoTicketAsync(260, isAdministrator: true, TimeSpan.FromHours(1), CancellationToken.None);

        var basic = await AuthenticateAsync(services, TestApi.Basic("tje0", "Tje0").ToString());
        var soTicket = await AuthenticateAsync(services, "SoTicket " + ticket.Ticket);
        var nothing = await AuthenticateAsync(services, authorization: null);

        Assert.Equal(new Caller(259, false, "Basic", "tje0"), CallerPrincipal.ToCaller(basic.Principal!));
        Assert.Equal(260, CallerPrincipal.ToCaller(soTicket.Principal!).AssociateId);
        Assert.True(CallerPrincipal.ToCaller(soTicket.Principal!).IsAdministrator);
        Assert.True(nothing.None);

        // No default: WebApplication would otherwise add the authentication middleware, which runs before the pipeline.
        Assert.Null(await services.GetRequiredService<IAuthenticationSchemeProvider>().GetDefaultAuthenticateSchemeAsync());
    }

    [Theory]
    [InlineData("Auth:Bearer:SigningKey", "c2VjcmV0LWtleS1mb3ItdGVzdHMtMzItYnl0ZXMhISE=", "Auth:Bearer:Issuer")]
    [InlineData("Auth:Bearer:Authority", "http://login.test", "https")]
    public async Task BearerSettingsThatCannotWorkAreRefusedAtStartRatherThanOnTheFirstToken(string setting, string value, string named)
    {
        await using var services = Build(new Dictionary<string, string?> { [setting] = value, ["Auth:Bearer:Audience"] = "presence-api" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuthOptions>>().Value);

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    private static async Task<AuthenticateResult> AuthenticateAsync(ServiceProvider services, string? authorization)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return await context.AuthenticateAsync(SuperOfficeSchemes.Policy);
    }
}
