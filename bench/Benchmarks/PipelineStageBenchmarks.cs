using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Benchmarks;

/// <summary>
/// The stages <see cref="PipelineBenchmarks"/>'s presence request goes through, one at a time, so its extra time and
/// allocations over the minimal endpoint can be put on the stage that spends them.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class PipelineStageBenchmarks
{
    private const string SetJson = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""";
    private const string SetXml = "<SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus></SetUserPresenceStatusRequest>";

    private static readonly ActionDescriptor SharedAction = new();

    private AzuriteProcess azurite = null!;
    private WebApplication presence = null!;
    private byte[] body = [];
    private string mediaType = "";
    private RequestFormat requestFormat;
    private ResponseFormat responseFormat = ResponseFormat.Json;
    private string authorization = "";
    private CrossSiteRequestGuard guard = null!;
    private VerifiedCredentialCache verified = null!;
    private readonly Caller benchCaller = new(259, IsAdministrator: true, SuperOfficeSchemes.Basic, "bench");
    private PresenceEndpoints endpoints = null!;

    [Params("json", "xml")]
    public string Format { get; set; } = "json";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark]
    public ResponseFormat Negotiate() => ContentNegotiation.Choose(new StringValues(mediaType), mediaType);

    [Benchmark]
    public RequestFormat RequestContentType() => RequestFormats.FromContentType(mediaType);

    [Benchmark]
    public HttpContext CrossSiteGuard()
    {
        var context = NewContext();
        guard.EnsureAllowed(context.Request);
        return context;
    }

    /// <summary>
    /// Not what a request pays: from the root provider the handlers are made once and a handler remembers its first
    /// result, so this measures the forwarding and the memoized answer. <see cref="AuthenticateInScope"/> is the real cost.
    /// </summary>
    [Benchmark]
    public async Task<Caller> AuthenticateFromCache()
    {
        var context = NewContext();
        var result = await context.AuthenticateAsync(SuperOfficeSchemes.Policy).ConfigureAwait(false);
        return CallerPrincipal.ToCaller(result.Principal!);
    }

    /// <summary>As the host authenticates: in the request's own scope, so the handlers are made and initialized per request.</summary>
    [Benchmark]
    public async Task<Caller> AuthenticateInScope()
    {
        var context = NewContext();
        await using var scope = presence.Services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        var result = await context.AuthenticateAsync(SuperOfficeSchemes.Policy).ConfigureAwait(false);
        return CallerPrincipal.ToCaller(result.Principal!);
    }

    /// <summary>As <see cref="AuthenticateInScope"/>, asking the scheme the policy scheme would forward to.</summary>
    [Benchmark]
    public async Task<Caller> AuthenticateSelectedSchemeInScope()
    {
        var context = NewContext();
        await using var scope = presence.Services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        var result = await context.AuthenticateAsync(SuperOfficeSchemes.Select(context)).ConfigureAwait(false);
        return CallerPrincipal.ToCaller(result.Principal!);
    }

    /// <summary>The Basic handler's look-up of credentials verified a moment ago.</summary>
    [Benchmark]
    public Caller? FindVerified() => verified.Find(BenchPresenceHost.User, BenchPresenceHost.Password);

    /// <summary>The Basic handler's answer: the caller's principal in a ticket in a result.</summary>
    [Benchmark]
    public AuthenticateResult PrincipalAndTicket() =>
        AuthenticateResult.Success(new AuthenticationTicket(CallerPrincipal.Create(benchCaller), SuperOfficeSchemes.Basic));

    /// <summary>The request scope with the Basic handler made and initialized in it, nothing authenticated.</summary>
    [Benchmark]
    public async Task<object?> CreateBasicHandler()
    {
        var context = NewContext();
        await using var scope = presence.Services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        return await scope.ServiceProvider.GetRequiredService<IAuthenticationHandlerProvider>().GetHandlerAsync(context, SuperOfficeSchemes.Basic).ConfigureAwait(false);
    }

    /// <summary>The request scope alone, with the authentication service resolved in it.</summary>
    [Benchmark]
    public async Task<object> RequestScope()
    {
        await using var scope = presence.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
    }

    /// <summary>What presence serve's route glue adds per request: the ActionContext a result runs against (incl. context).</summary>
    [Benchmark]
    public ActionContext RouteGlue()
    {
        var context = NewContext();
        return new ActionContext(context, context.GetRouteData(), SharedAction);
    }

    [Benchmark]
    public JsonObject ParseBody() => RequestDocument.Parse(body, requestFormat, RequestShape.SetRequest);

    [Benchmark]
    public SetPresenceRequest ParseAndBind() => PresenceRequestBinder.BindSet(RequestDocument.Parse(body, requestFormat, RequestShape.SetRequest));

    [Benchmark]
    public PayloadResult SelectAndWrite()
    {
        var payload = ApiPayload.Carrier(new UserPresenceStatus(UserStatus.StatusNotAvailable, "Lunch"));
        SelectClause.Parse("Status,Message").Apply(payload.Body);
        return ApiResponses.Ok(payload, responseFormat);
    }

    /// <summary>The whole Core pipeline on a bare HttpContext: no TestServer, hosting, routing or telemetry around it.</summary>
    [Benchmark]
    public async Task<int> EndpointWithoutHost()
    {
        var context = NewContext();
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        context.Request.QueryString = new QueryString("?$select=Status,Message");
        var result = (PayloadResult)await endpoints.SetAsync(context.Request, CancellationToken.None).ConfigureAwait(false);
        return result.StatusCode + result.Body.Length;
    }

    private DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext { RequestServices = presence.Services };
        context.Request.Method = "POST";
        context.Request.ContentType = mediaType;
        context.Request.Headers.Accept = mediaType;
        context.Request.Headers.Authorization = authorization;
        return context;
    }

    private async Task SetupAsync()
    {
        mediaType = Format == "xml" ? "application/xml" : "application/json";
        requestFormat = Format == "xml" ? RequestFormat.Xml : RequestFormat.Json;
        responseFormat = Format == "xml" ? ResponseFormat.Xml : ResponseFormat.Json;
        body = Encoding.UTF8.GetBytes(Format == "xml" ? SetXml : SetJson);
        authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(BenchPresenceHost.User + ":" + BenchPresenceHost.Password))).ToString();

        azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, CancellationToken.None).ConfigureAwait(false);
        presence = await BenchPresenceHost.StartAsync(azurite.ConnectionString).ConfigureAwait(false);
        guard = presence.Services.GetRequiredService<CrossSiteRequestGuard>();
        verified = presence.Services.GetRequiredService<VerifiedCredentialCache>();
        endpoints = presence.Services.GetRequiredService<PresenceEndpoints>();

        // The first authentication verifies with PBKDF2 and fills the cache; every measured one is served from it.
        await AuthenticateFromCache().ConfigureAwait(false);
        if (await EndpointWithoutHost().ConfigureAwait(false) < 200)
        {
            throw new InvalidOperationException("The endpoint does not answer.");
        }
    }

    private async Task CleanupAsync()
    {
        await presence.DisposeAsync().ConfigureAwait(false);
        await azurite.DisposeAsync().ConfigureAwait(false);
    }
}
