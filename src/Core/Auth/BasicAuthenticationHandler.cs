using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PresenceFunctions.Observability;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Auth;

/// <summary>
/// <c>Authorization: Basic base64(user:password)</c> against users with PBKDF2 hashes. A credential verified a
/// moment ago answers from <see cref="VerifiedCredentialCache"/> and is never throttled; otherwise failures are
/// limited per name and address (<see cref="LoginThrottle"/>) before PBKDF2 runs, PBKDF2 runs in one of the
/// throttle's slots, and hashes made with fewer iterations than configured are upgraded on a successful login.
/// </summary>
public sealed partial class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    CredentialStore store,
    IPasswordHasher<UserEntity> hasher,
    DecoyPasswordHash decoy,
    VerifiedCredentialCache verified,
    LoginsInFlight inFlight,
    LoginThrottle throttle,
    UserNameLogHash logHash,
    IOptions<AuthOptions> options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = AuthorizationHeader.Read(Request);
        if (header is null || !header.Is(SuperOfficeSchemes.Basic))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryDecode(header.Parameter, out var userName, out var password))
        {
            LogFailure(Logger, "Basic", "malformed credentials", "-");
            return AuthRefusedException.Fail(AuthRefusal.Unauthenticated("The Basic credentials are not base64 of user:password."));
        }

        // A credential verified a moment ago is never throttled: the cache answers before any limit is asked.
        if (verified.Find(userName, password) is { } remembered)
        {
            return Success(remembered);
        }

        var clientAddress = ClientAddress.Of(Context, options.Value.TrustForwardedFor);
        if (Throttled(userName, clientAddress) is { } refused)
        {
            return refused;
        }

        var outcome = await inFlight.ShareAsync(
            verified.KeyOf(userName, password) + "|" + clientAddress,
            abandoned => VerifyAsync(userName, password, clientAddress, abandoned),
            Context.RequestAborted).ConfigureAwait(false);
        return outcome.Caller is { } caller ? Success(caller) : AuthRefusedException.Fail(outcome.Refusal!);
    }

    /// <summary>
    /// One PBKDF2 verification, shared by every request with these credentials from this client meanwhile
    /// (<see cref="LoginsInFlight"/>): cancelled only when every one of them has gone.
    /// </summary>
    private async Task<LoginOutcome> VerifyAsync(string userName, string password, string clientAddress, CancellationToken cancellationToken)
    {
        var user = await store.FindUserAsync(userName, cancellationToken).ConfigureAwait(false);
        PasswordVerificationResult verdict;
        string? upgradedHash = null;
        using (var slot = await throttle.AcquireVerificationAsync(cancellationToken).ConfigureAwait(false))
        {
            if (slot is null)
            {
                return new(null, AuthRefusal.Busy("Too many logins are being checked; try again shortly.", retryAfterSeconds: 1));
            }

            // Checked again with the slot held, so guesses queued behind it stop once the budget is spent.
            if (verified.Find(userName, password) is { } meanwhile)
            {
                return new(meanwhile, null);
            }

            if (!throttle.IsAllowed(userName, clientAddress, out var retryAfter))
            {
                LogThrottled(Logger, logHash.Of(userName), LogText.Safe(clientAddress));
                return new(null, AuthRefusal.Throttled(retryAfter));
            }

            verdict = hasher.VerifyHashedPassword(user ?? new UserEntity(), user?.PasswordHash ?? decoy.Value, password);
            if (user is not null && verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                upgradedHash = hasher.HashPassword(user, password);
            }
        }

        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(userName, clientAddress);
            LogFailure(Logger, "Basic", user is null ? "unknown user" : "wrong password", logHash.Of(userName));
            return new(null, AuthRefusal.Unauthenticated("Unknown user name or wrong password."));
        }

        if (upgradedHash is not null)
        {
            await UpgradeHashAsync(user, upgradedHash, cancellationToken).ConfigureAwait(false);
        }

        var caller = new Caller(user.AssociateId, user.IsAdministrator, SuperOfficeSchemes.Basic, user.UserName);
        verified.Remember(userName, password, caller);
        return new(caller, null);
    }

    private AuthenticateResult Success(Caller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(CallerPrincipal.Create(caller), Scheme.Name));

    private AuthenticateResult? Throttled(string userName, string clientAddress)
    {
        if (throttle.IsAllowed(userName, clientAddress, out var retryAfter))
        {
            return null;
        }

        LogThrottled(Logger, logHash.Of(userName), LogText.Safe(clientAddress));
        return AuthRefusedException.Fail(AuthRefusal.Throttled(retryAfter));
    }

    /// <summary>Stores the stronger hash; best effort, since the login itself has succeeded and the next one tries again.</summary>
    private async Task UpgradeHashAsync(UserEntity user, string upgradedHash, CancellationToken cancellationToken)
    {
        try
        {
            await store.UpgradePasswordHashAsync(user, upgradedHash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e))
        {
            LogUpgradeFailed(Logger, e.GetType().Name);
        }
    }

    private static bool TryDecode(string parameter, out string userName, out string password)
    {
        userName = password = "";
        var encoded = parameter.Trim();
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (encoded.Length == 0 || !Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        userName = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    /// <summary><paramref name="who"/> is <see cref="UserNameLogHash"/>'s hash, never the name: people type passwords there.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Scheme}): {Reason} for {Who}")]
    private static partial void LogFailure(ILogger logger, string scheme, string reason, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login throttled for {Who} from {ClientAddress}")]
    private static partial void LogThrottled(ILogger logger, string who, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store an upgraded password hash ({Failure}); the next login tries again")]
    private static partial void LogUpgradeFailed(ILogger logger, string failure);
}
