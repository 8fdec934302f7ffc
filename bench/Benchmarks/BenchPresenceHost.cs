using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Bench;
using PresenceFunctions.Cli.Hosting;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Benchmarks;

/// <summary>
/// The host the pipeline benchmarks measure: <c>presence serve</c>'s own, on TestServer, with presence kept in memory
/// and events discarded. Storage serves only the bench user's one Basic verification; after it, the cache does.
/// </summary>
internal static class BenchPresenceHost
{
    public const string User = "bench";
    public const string Password = "bench-password";

    /// <param name="map">Routes of the benchmark's own, mapped before the host starts.</param>
    public static async Task<WebApplication> StartAsync(string storageConnectionString, Action<WebApplication>? map = null)
    {
        var presence = LocalFunctionHost.Build(
            new Dictionary<string, string?>
            {
                ["PresenceStorage"] = storageConnectionString,
                ["Serve:Timers"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            },
            builder =>
            {
                builder.WebHost.UseTestServer();
                builder.Services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
                builder.Services.AddSingleton<IPresenceEventPublisher, DiscardingPublisher>();
            });
        map?.Invoke(presence);
        await presence.StartAsync().ConfigureAwait(false);
        await presence.Services.GetRequiredService<CredentialStore>().AddOrUpdateUserAsync(User, Password, 259, isAdministrator: true, CancellationToken.None).ConfigureAwait(false);
        return presence;
    }

    /// <summary>One measured request of the pipeline benchmarks: the body posted, the whole answer read.</summary>
    /// <returns>The status plus the answer's length, so nothing is optimised away.</returns>
    public static async Task<int> PostAsync(HttpClient client, string path, byte[] body, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await client.PostAsync(path, content).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return (int)response.StatusCode + answer.Length;
    }
}
