using Microsoft.AspNetCore.Identity;

namespace PresenceFunctions.Auth;

/// <summary>
/// A hash of a random password, made once: an unknown user is checked against it, so a failed login costs the
/// same PBKDF2 run whether or not the name exists, and timing does not tell which names do.
/// </summary>
public sealed class DecoyPasswordHash(IPasswordHasher<UserEntity> hasher)
{
    private readonly Lazy<string> hash = new(() => hasher.HashPassword(new UserEntity(), Secrets.NewToken()));

    public string Value => hash.Value;
}
