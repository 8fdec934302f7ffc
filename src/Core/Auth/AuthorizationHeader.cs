using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace PresenceFunctions.Auth;

/// <summary>The request's one Authorization header, split into its scheme and what follows it (trimmed).</summary>
public sealed record AuthorizationHeader(string Scheme, string Parameter)
{
    /// <summary>Null when the request has no Authorization header, or several (which one counts would be a guess).</summary>
    public static AuthorizationHeader? Read(HttpRequest request) =>
        TryRead(request, out var scheme, out var parameter) ? new(scheme.ToString(), parameter.ToString()) : null;

    /// <summary>As <see cref="Read"/> without allocating, for the steps of every request: scheme and parameter as spans of the header.</summary>
    public static bool TryRead(HttpRequest request, out ReadOnlySpan<char> scheme, out ReadOnlySpan<char> parameter)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers.Authorization;
        if (StringValues.IsNullOrEmpty(values) || values.Count > 1)
        {
            scheme = parameter = default;
            return false;
        }

        var value = values[0].AsSpan().Trim();
        var space = value.IndexOf(' ');
        scheme = space < 0 ? value : value[..space];
        parameter = space < 0 ? default : value[(space + 1)..].Trim();
        return true;
    }

    /// <summary>Scheme names compare case-insensitively (RFC 9110 §11.1).</summary>
    public bool Is(string scheme) => string.Equals(Scheme, scheme, StringComparison.OrdinalIgnoreCase);
}
