using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Auth;

/// <summary>Until SuperOffice authentication lands (issue 3): every request acts as an administrator with associate id 0.</summary>
public sealed class OpenAccessAuthenticator : IRequestAuthenticator
{
    private static readonly Caller Anyone = new(0, IsAdministrator: true, "None", "anonymous");

    public ValueTask<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(Anyone);
}
