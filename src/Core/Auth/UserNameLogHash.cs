using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PresenceFunctions.Auth;

/// <summary>
/// What a failed login logs instead of the user name (people type passwords there): the first 12 hex digits
/// of an HMAC-SHA256 of the lower-case name. With <c>Auth__LogHashKey</c> set, every instance logs the same
/// hash for a name, so operators can follow one name across instances and ask "is this hash tje0?" only
/// with the key; unset, the key is random per process, which is safe but correlates within one process only.
/// </summary>
public sealed class UserNameLogHash
{
    private readonly byte[] key;

    public UserNameLogHash(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.Value.LogHashKey;
        key = string.IsNullOrEmpty(configured) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(configured);
    }

    public string Of(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return "user#" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(userName.ToLowerInvariant())))[..12];
    }
}
