using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Auth;

/// <summary>Who is on the other end, for the per-address login limit.</summary>
public static class ClientAddress
{
    /// <summary>Longest address kept; anything longer is cut (it only names a throttling bucket).</summary>
    private const int MaxLength = 64;

    /// <summary>
    /// The leftmost <c>X-Forwarded-For</c> entry when the front end is trusted to set it (the Functions front
    /// end adds the client it saw); otherwise the connection's remote address. "unknown" when there is neither.
    /// </summary>
    public static string Of(HttpContext context, bool trustForwardedFor)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (trustForwardedFor)
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var leftmost = forwarded.Split(',', 2)[0].Trim();
            if (leftmost.Length > 0)
            {
                return leftmost.Length > MaxLength ? leftmost[..MaxLength] : leftmost;
            }
        }

        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
