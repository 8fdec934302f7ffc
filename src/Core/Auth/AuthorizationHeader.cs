using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace PresenceFunctions.Auth;

/// <summary>The request's one Authorization header, split into its scheme and what follows it (trimmed).</summary>
public sealed record AuthorizationHeader(string Scheme, string Parameter)
{
    /// <summary>Null when the request has no Authorization header, or several (which one counts would be a guess).</summary>
    public static AuthorizationHeader? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers.Authorization;
        if (StringValues.IsNullOrEmpty(values) || values.Count > 1)
        {
            return null;
        }

        var value = values.ToString().Trim();
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? new(value, "") : new(value[..space], value[(space + 1)..].Trim());
    }

    /// <summary>Scheme names compare case-insensitively (RFC 9110 §11.1).</summary>
    public bool Is(string scheme) => string.Equals(Scheme, scheme, StringComparison.OrdinalIgnoreCase);
}
