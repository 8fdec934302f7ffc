using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace PresenceFunctions.Auth;

/// <summary>
/// "User management is not allowed for partner apps": a request carrying an <c>SO-AppToken</c> that is not
/// on the allow-list is refused. Tokens are held and compared as SHA-256 hashes, in constant time.
/// </summary>
public sealed class AppTokenPolicy
{
    public const string Header = "SO-AppToken";
    private const string HashPrefix = "sha256:";

    private readonly string[] allowed;

    public AppTokenPolicy(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        allowed =
        [
            .. (options.Value.AllowedAppTokens ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase) ? t[HashPrefix.Length..].ToLowerInvariant() : Secrets.Hash(t)),
        ];
    }

    public void EnsureAllowed(StringValues appToken)
    {
        if (StringValues.IsNullOrEmpty(appToken))
        {
            return;
        }

        var presented = Secrets.Hash(appToken.ToString());
        var match = false;
        foreach (var hash in allowed)
        {
            match |= Secrets.HashesEqual(presented, hash);
        }

        if (!match)
        {
            throw new AuthRefusedException(AuthRefusal.Forbidden("User management is not allowed for partner apps", Header));
        }
    }
}
