using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Auth;

/// <summary>
/// The one place a request proves who it is. Answers the caller, or throws an
/// <see cref="Http.ApiException"/> carrying 401 or 403.
/// </summary>
public interface IRequestAuthenticator
{
    ValueTask<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken);
}
