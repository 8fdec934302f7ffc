using Microsoft.AspNetCore.Authentication;

namespace PresenceFunctions.Auth;

/// <summary>
/// Carries an <see cref="AuthRefusal"/>: as the failure of an <see cref="AuthenticateResult"/> from the
/// handlers, or thrown by an access rule (partner apps, cross-site forms, setting another's presence).
/// </summary>
public sealed class AuthRefusedException(AuthRefusal refusal) : Exception(refusal.Message)
{
    public AuthRefusal Refusal { get; } = refusal;

    /// <summary>A handler's answer for a refused request.</summary>
    public static AuthenticateResult Fail(AuthRefusal refusal) => AuthenticateResult.Fail(new AuthRefusedException(refusal));
}
