using System.Buffers;
using System.Security.Cryptography;
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
        if (!AuthorizationHeader.TryRead(Request, out var scheme, out var parameter) || !scheme.Equals(SuperOfficeSchemes.Basic, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryDecode(parameter, out var userName, out var password))
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

    /// <summary>Decoded on the stack (pooled when long) and wiped after: only the name and the password become strings.</summary>
    private static bool TryDecode(ReadOnlySpan<char> parameter, out string userName, out string password)
    {
        const int StackBytes = 256;
        userName = password = "";
        var encoded = parameter.Trim();
        var size = (encoded.Length * 3 / 4) + 3;
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        var bytes = size <= StackBytes ? stackalloc byte[StackBytes] : (rentedBytes = ArrayPool<byte>.Shared.Rent(size));
        var chars = size <= StackBytes ? stackalloc char[StackBytes] : (rentedChars = ArrayPool<char>.Shared.Rent(size));
        var written = 0;
        var length = 0;
        try
        {
            if (encoded.Length == 0 || !Convert.TryFromBase64Chars(encoded, bytes, out written))
            {
                return false;
            }

            try
            {
                // At most one char per byte, so the buffer always holds the text.
                length = StrictUtf8.GetChars(bytes[..written], chars);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }

            var decoded = chars[..length];
            var colon = decoded.IndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            userName = decoded[..colon].ToString();
            password = decoded[(colon + 1)..].ToString();
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes[..written]);
            chars[..length].Clear();
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }

            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }

    /// <summary><paramref name="who"/> is <see cref="UserNameLogHash"/>'s hash, never the name: people type passwords there.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Scheme}): {Reason} for {Who}")]
    private static partial void LogFailure(ILogger logger, string scheme, string reason, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login throttled for {Who} from {ClientAddress}")]
    private static partial void LogThrottled(ILogger logger, string who, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store an upgraded password hash ({Failure}); the next login tries again")]
    private static partial void LogUpgradeFailed(ILogger logger, string failure);
}
