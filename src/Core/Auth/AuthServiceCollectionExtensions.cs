using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Auth;

/// <summary>
/// Authentication on ASP.NET Core's system: Basic and SoTicket handlers, JwtBearer, and a policy scheme that
/// forwards by the request's Authorization scheme or the SoTicket cookie. The HTTP pipeline authenticates itself, with
/// the scheme the policy would forward to (<see cref="SuperOfficeSchemes.Select"/>), where a storage failure becomes 503.
/// There is deliberately no default scheme: with one, WebApplication adds the authentication middleware by
/// itself, which would authenticate every request (health, unknown routes) outside the pipeline's error mapping.
/// </summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Expects <see cref="AuthOptions"/>, <see cref="CredentialStore"/> and a <see cref="TimeProvider"/> registered.</summary>
    public static IServiceCollection AddSuperOfficeAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<UserNameLogHash>();
        services.AddSingleton<VerifiedCredentialCache>();
        services.AddSingleton<LoginsInFlight>();
        services.AddSingleton<DecoyPasswordHash>();
        services.AddSingleton<BearerEvents>();
        services.AddHttpClient(BearerTokens.MetadataClientName, client => client.MaxResponseContentBufferSize = BearerTokens.MaxMetadataBytes);
        services.AddOptions<JwtBearerOptions>(SuperOfficeSchemes.Bearer).Configure<IOptions<AuthOptions>, IHttpClientFactory>(
            (options, auth, clients) => BearerTokens.Configure(options, auth.Value.Bearer, clients.CreateClient(BearerTokens.MetadataClientName)));

        services.AddAuthentication()
            .AddPolicyScheme(SuperOfficeSchemes.Policy, "SuperOffice: Basic, SoTicket or Bearer", policy => policy.ForwardDefaultSelector = SuperOfficeSchemes.Select)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(SuperOfficeSchemes.Basic, configureOptions: null)
            .AddScheme<AuthenticationSchemeOptions, SoTicketAuthenticationHandler>(SuperOfficeSchemes.SoTicket, configureOptions: null)
            .AddScheme<AuthenticationSchemeOptions, UnusableCredentialsHandler>(SuperOfficeSchemes.Unusable, configureOptions: null)

            // Configured above from AuthOptions, which needs services this overload cannot take.
            .AddJwtBearer(SuperOfficeSchemes.Bearer, static _ => { });
        return services;
    }
}
