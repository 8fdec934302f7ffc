using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace PresenceFunctions.Auth;

/// <summary>
/// A browser that holds Basic credentials or the SoTicket cookie sends them with a form posted from any site,
/// and a form (or XML) body needs no CORS preflight. Such a request is refused with 403 when the browser says it
/// is cross-site (<c>Sec-Fetch-Site</c>) or its <c>Origin</c> is another host, unless that Origin is in
/// <c>Auth__AllowedOrigins</c>.
/// JSON is left alone: a browser preflights it, and this API answers no preflight.
/// </summary>
public sealed class CrossSiteRequestGuard
{
    private static readonly string[] GuardedMediaTypes = ["application/x-www-form-urlencoded", "application/xml", "text/xml"];

    private readonly HashSet<string> allowedOrigins;

    public CrossSiteRequestGuard(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        allowedOrigins = new HashSet<string>(
            (options.Value.AllowedOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => o.TrimEnd('/')),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Refuses (Forbidden, 403) a form or XML request a browser sent from another site.</summary>
    public void EnsureAllowed(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsGuarded(request.ContentType))
        {
            return;
        }

        // An origin the operator listed is let through even cross-site: that is what listing it means.
        var origin = request.Headers.Origin.ToString().Trim();
        if (origin.Length > 0 && allowedOrigins.Contains(origin.TrimEnd('/')))
        {
            return;
        }

        if (string.Equals(request.Headers["Sec-Fetch-Site"].ToString().Trim(), "cross-site", StringComparison.OrdinalIgnoreCase)
            || (origin.Length > 0 && !IsSameHost(origin, request)))
        {
            throw new AuthRefusedException(AuthRefusal.Forbidden("Cross-site form and XML requests are refused; send JSON, or add the site to Auth__AllowedOrigins.", "Origin"));
        }
    }

    /// <summary>Same origin: the browser's Origin names this host. The scheme is not compared, since TLS may end at a front end.</summary>
    private static bool IsSameHost(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && request.Host.HasValue
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsGuarded(string? contentType)
    {
        // Exactly a media type without parameters, as most clients send it, is answered without parsing it.
        if (GuardedMediaTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && GuardedMediaTypes.Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase);
    }
}
