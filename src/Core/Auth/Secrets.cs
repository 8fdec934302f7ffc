using System.Security.Cryptography;
using System.Text;

namespace PresenceFunctions.Auth;

/// <summary>Random tokens, and the one-way hashes under which they are stored and compared.</summary>
public static class Secrets
{
    /// <summary>32 random bytes, base64url: 256 bits, safe in headers and cookies.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 in lower-case hex. Tokens carry 256 random bits, so a fast unsalted hash is enough to store them.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two hashes in time that does not depend on where they differ.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>A short, non-secret name for a token in logs: the first hex digits of its hash.</summary>
    public static string LogId(string secret) => Hash(secret)[..8];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
