using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PresenceFunctions.Auth;
using PresenceFunctions.Tests.Integration.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>What an attacker at the login learns: not whether a user exists, and nothing from the logs.</summary>
public sealed class AuthAttackTests(AzuriteFixture azurite)
{
    private static Dictionary<string, string> Basic(string user, string password) =>
        new() { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)) };

    [Fact]
    public async Task AFailedLoginTakesAsLongForAnUnknownUserAsForAWrongPassword()
    {
        // Throttling would answer 429 without PBKDF2 long before 31 guesses; this measures the guesses themselves.
        await using var api = await TestApi.StartAsync(azurite, settings: new Dictionary<string, string?>
        {
            ["Auth:FailedLoginsPerName"] = "100",
            ["Auth:FailedLoginsPerAddress"] = "100",
        });
        await api.Credentials.AddOrUpdateUserAsync("tje0", "the-right-password", 259, isAdministrator: false, CancellationToken.None);
        var known = new List<double>();
        var unknown = new List<double>();

        // Interleaved, so drift in the machine's load hits both the same; the first of each warms up.
        for (var i = 0; i < 31; i++)
        {
            known.Add(await TimeAsync(api, Basic("tje0", "wrong-" + i)));
            unknown.Add(await TimeAsync(api, Basic("ghost-" + i, "wrong-" + i)));
        }

        var knownMedian = Median(known.Skip(1));
        var unknownMedian = Median(unknown.Skip(1));

        // Both run PBKDF2 (tens of milliseconds); without the decoy hash an unknown user would answer in about one,
        // a ratio near 0.02. The margin is wide because a loaded 2-core machine moved a median by a third.
        Assert.True(knownMedian > 5, $"known {knownMedian:F1} ms");
        Assert.InRange(unknownMedian / knownMedian, 0.6, 1.67);
    }

    [Fact]
    public async Task CredentialsTicketsAndTokensNeverAppearInLogs()
    {
        var logs = new CapturedLogs();
        await using var api = await TestApi.StartAsync(
            azurite,
            services => services.AddSingleton<ILoggerProvider>(logs),
            new Dictionary<string, string?>(AuthTestKit.BearerSettings()) { ["Logging:LogLevel:Default"] = "Trace", ["Auth:AllowedAppTokens"] = "allowed-app-token-123" });
        await api.Credentials.AddOrUpdateUserAsync("tje0", "right-password-456", 259, isAdministrator: false, CancellationToken.None);
        var ticket = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);
        var revoked = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);
        await api.Credentials.RevokeSoTicketAsync(revoked.Ticket, CancellationToken.None);
        var jwt = AuthTestKit.Jwt();
        var secrets = new[] { "right-password-456", "wrong-password-789", ticket.Ticket, ticket.XsrfToken, revoked.Ticket, "7T:unknown-ticket-000", jwt, AuthTestKit.Tampered(jwt), "allowed-app-token-123", "refused-app-token-321" };

        var attempts = new List<Dictionary<string, string>>
        {
            Basic("tje0", "right-password-456"),
            Basic("tje0", "wrong-password-789"),
            Basic("nobody", "wrong-password-789"),
            new() { ["Authorization"] = "SoTicket " + ticket.Ticket },
            new() { ["Authorization"] = "SoTicket " + revoked.Ticket },
            new() { ["Authorization"] = "SoTicket 7T:unknown-ticket-000" },
            new() { ["Cookie"] = "SoTicket=" + ticket.Ticket },
            new() { ["Cookie"] = "SoTicket=" + ticket.Ticket, ["X-XSRF-TOKEN"] = "wrong" },
            new() { ["Cookie"] = "SoTicket=" + ticket.Ticket, ["X-XSRF-TOKEN"] = ticket.XsrfToken },
            new() { ["Authorization"] = "Bearer " + jwt },
            new() { ["Authorization"] = "Bearer " + AuthTestKit.Tampered(jwt) },
            new(Basic("tje0", "right-password-456")) { ["SO-AppToken"] = "allowed-app-token-123" },
            new(Basic("tje0", "right-password-456")) { ["SO-AppToken"] = "refused-app-token-321" },
        };
        foreach (var headers in attempts)
        {
            await api.SendAsync(api.Anonymous, HttpMethod.Put, "/api/v1/User/259/UserPresenceStatus", """{"Status": 2}""", "application/json", headers: headers);
        }

        Assert.NotEmpty(logs.Entries);
        Assert.Contains(logs.Entries, e => e.Contains("Authentication failed", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Entries, e => e.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Entries, e => e.Contains(Basic("tje0", "right-password-456")["Authorization"][6..], StringComparison.Ordinal));

        // A failed login names the user by a keyed hash only: people type passwords into the name field.
        var failures = logs.Entries.Where(e => e.Contains("Authentication failed (Basic)", StringComparison.Ordinal)).ToList();
        var names = api.Get<UserNameLogHash>();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.DoesNotContain("tje0", e, StringComparison.OrdinalIgnoreCase));
        Assert.All(failures, e => Assert.DoesNotContain("nobody", e, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(failures, e => e.Contains(names.Of("tje0"), StringComparison.Ordinal));
        Assert.Contains(failures, e => e.Contains(names.Of("nobody"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AUserNameCannotForgeLogLinesAndIsLoggedOnlyAsAKeyedHash()
    {
        const string name = "evil\r\nwarn: Forged entry\u001b[2J";
        var logs = new CapturedLogs();
        await using var api = await TestApi.StartAsync(azurite, services => services.AddSingleton<ILoggerProvider>(logs));

        await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", headers: Basic(name, "x"));

        var entry = Assert.Single(logs.Entries, e => e.Contains("unknown user", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', entry);
        Assert.DoesNotContain('\r', entry);
        Assert.DoesNotContain('\u001b', entry);
        Assert.DoesNotContain("evil", entry, StringComparison.Ordinal);
        Assert.DoesNotContain("Forged", entry, StringComparison.Ordinal);
        Assert.Matches("user#[0-9a-f]{12}", entry);

        // Basic splits at the first colon, so the user name is "evil\r\nwarn" and the rest is the password.
        Assert.Contains(api.Get<UserNameLogHash>().Of(name[..name.IndexOf(':', StringComparison.Ordinal)]), entry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAConfiguredKeyEveryInstanceLogsTheSameHashForAName()
    {
        var settings = new Dictionary<string, string?> { ["Auth:LogHashKey"] = "shared-log-key" };
        await using var one = await TestApi.StartAsync(azurite, settings: settings);
        await using var two = await TestApi.StartAsync(azurite, settings: settings);
        await using var unkeyed = await TestApi.StartAsync(azurite);

        var hash = one.Get<UserNameLogHash>().Of("tje0");

        Assert.Equal(hash, two.Get<UserNameLogHash>().Of("TJE0"));
        Assert.NotEqual(hash, unkeyed.Get<UserNameLogHash>().Of("tje0"));
        Assert.NotEqual(hash, one.Get<UserNameLogHash>().Of("tje1"));
    }

    private static async Task<double> TimeAsync(TestApi api, Dictionary<string, string> headers)
    {
        var watch = Stopwatch.StartNew();
        var response = await api.SendAsync(api.Anonymous, HttpMethod.Get, "/api/v1/User/259/UserPresenceStatus", headers: headers);
        watch.Stop();
        Assert.Equal(401, (int)response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
