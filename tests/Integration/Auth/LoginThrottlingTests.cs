using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PresenceFunctions.Auth;
using PresenceFunctions.Storage;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.Auth;

/// <summary>Failed Basic logins are limited per name and per address, PBKDF2 runs are capped, and old hashes are upgraded.</summary>
public sealed class LoginThrottlingTests(AzuriteFixture azurite)
{
    private const string OwnStatus = "/api/v1/User/259/UserPresenceStatus";

    private static Dictionary<string, string> Basic(string user, string password, string? forwardedFor = null)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = TestApi.Basic(user, password).ToString() };
        if (forwardedFor is not null)
        {
            headers["X-Forwarded-For"] = forwardedFor;
        }

        return headers;
    }

    private async Task<TestApi> StartAsync(CountingPasswordHasher hasher, Dictionary<string, string?>? settings = null)
    {
        var api = await TestApi.StartAsync(azurite, services => services.AddSingleton<IPasswordHasher<UserEntity>>(hasher), settings);
        await api.Credentials.AddOrUpdateUserAsync("tje0", "Tje0", 259, isAdministrator: false, CancellationToken.None);
        await api.Credentials.AddOrUpdateUserAsync("anna", "Anna!", 260, isAdministrator: false, CancellationToken.None);
        return api;
    }

    private static Task<HttpResponseMessage> GetAsync(TestApi api, Dictionary<string, string> headers, string? accept = null) =>
        api.SendAsync(api.Anonymous, HttpMethod.Get, OwnStatus, accept: accept, headers: headers);

    /// <summary>A request from a given connection address (TestServer has none of its own).</summary>
    private static async Task<int> GetFromAsync(TestApi api, string remoteAddress, Dictionary<string, string> headers)
    {
        var context = await api.App.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = OwnStatus;
            c.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
            foreach (var (name, value) in headers)
            {
                c.Request.Headers[name] = value;
            }
        });
        return context.Response.StatusCode;
    }

    private static async Task AssertTooManyRequestsAsync(HttpResponseMessage response)
    {
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(429, (int)response.StatusCode);
        Assert.True(body.GetProperty("Error").GetBoolean());
        Assert.Equal("TooManyRequests", body.GetProperty("ErrorType").GetString());
        Assert.Equal("Authorization", body.GetProperty("ErrorSource").GetString());
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task TheSixthWrongPasswordForOneNameWithinAMinuteIs429WithoutRunningPbkdf2WhileAnotherUserLogsIn()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher);
        var before = hasher.Verifications;

        for (var i = 0; i < 5; i++)
        {
            await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("tje0", "wrong-" + i)));
        }

        Assert.Equal(5, hasher.Verifications - before);
        await AssertTooManyRequestsAsync(await GetAsync(api, Basic("tje0", "wrong-5")));
        await AssertTooManyRequestsAsync(await GetAsync(api, Basic("TJE0", "Tje0")));
        Assert.Equal(5, hasher.Verifications - before);

        await (await GetAsync(api, Basic("anna", "Anna!"))).AssertAsync(200, "application/json");
        Assert.Equal(6, hasher.Verifications - before);
    }

    [Fact]
    public async Task A429IsWrittenInTheNegotiatedFormat()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:FailedLoginsPerName"] = "1" });
        await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("tje0", "wrong")));

        var response = await GetAsync(api, Basic("tje0", "wrong"), accept: "application/xml");

        var body = await response.AssertAsync(429, "application/xml");
        Assert.Contains("<ErrorType>TooManyRequests</ErrorType>", body, StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ACachedVerifiedCredentialIsNeverThrottled()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher);
        await (await GetAsync(api, Basic("tje0", "Tje0"))).AssertAsync(200, "application/json");

        for (var i = 0; i < 6; i++)
        {
            await GetAsync(api, Basic("tje0", "wrong-" + i));
        }

        await AssertTooManyRequestsAsync(await GetAsync(api, Basic("tje0", "wrong-6")));
        for (var i = 0; i < 20; i++)
        {
            await (await GetAsync(api, Basic("tje0", "Tje0"))).AssertAsync(200, "application/json");
        }
    }

    [Fact]
    public async Task SuccessfulLoginsDoNotUseTheFailureBudget()
    {
        var hasher = new CountingPasswordHasher();

        // Nothing cached, so every correct login runs PBKDF2 and passes through the throttle.
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:BasicCacheSeconds"] = "0", ["Auth:FailedLoginsPerName"] = "2" });

        for (var i = 0; i < 4; i++)
        {
            await (await GetAsync(api, Basic("tje0", "Tje0"))).AssertAsync(200, "application/json");
        }

        await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("tje0", "wrong-1")));
        await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("tje0", "wrong-2")));
        await AssertTooManyRequestsAsync(await GetAsync(api, Basic("tje0", "wrong-3")));
    }

    [Fact]
    public async Task FailuresAreLimitedPerConnectionAddressAndXForwardedForIsIgnoredByDefault()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:FailedLoginsPerAddress"] = "3" });

        // Different names and different X-Forwarded-For each time, from one connection address.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, await GetFromAsync(api, "192.0.2.10", Basic("ghost-" + i, "wrong", forwardedFor: "203.0.113." + i)));
        }

        var before = hasher.Verifications;
        Assert.Equal(429, await GetFromAsync(api, "192.0.2.10", Basic("ghost-9", "wrong", forwardedFor: "203.0.113.99")));
        Assert.Equal(429, await GetFromAsync(api, "192.0.2.10", Basic("anna", "Anna!")));
        Assert.Equal(before, hasher.Verifications);

        Assert.Equal(401, await GetFromAsync(api, "192.0.2.11", Basic("ghost-9", "wrong")));
        Assert.Equal(200, await GetFromAsync(api, "192.0.2.11", Basic("anna", "Anna!")));
    }

    [Fact]
    public async Task BehindTheFrontEndTheLeftmostXForwardedForEntryIsTheAddress()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher, new Dictionary<string, string?>
        {
            ["Auth:FailedLoginsPerAddress"] = "3",
            ["Auth:TrustForwardedFor"] = "true",
        });

        for (var i = 0; i < 3; i++)
        {
            await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("ghost-" + i, "wrong", forwardedFor: "203.0.113.7, 10.0.0." + i)));
        }

        var before = hasher.Verifications;
        await AssertTooManyRequestsAsync(await GetAsync(api, Basic("ghost-9", "wrong", forwardedFor: "203.0.113.7")));
        Assert.Equal(before, hasher.Verifications);

        // Same connection (TestServer's), another client: its own budget.
        await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("ghost-9", "wrong", forwardedFor: "198.51.100.4, 203.0.113.7")));
        await (await GetAsync(api, Basic("anna", "Anna!", forwardedFor: "198.51.100.4"))).AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task WhenEveryPbkdf2SlotIsBusyAndTheQueueIsFullALoginGets503WithRetryAfter()
    {
        using var gate = new ManualResetEventSlim();
        var hasher = new CountingPasswordHasher(onVerify: gate.Wait);
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:PasswordQueueLimit"] = "0" });
        var before = hasher.Verifications;

        var busy = Enumerable.Range(0, Environment.ProcessorCount).Select(i => GetAsync(api, Basic("ghost-" + i, "wrong"))).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hasher.Verifications - before < Environment.ProcessorCount && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // Without the cap this login would wait for the gate too: give it a bounded time, then release everyone.
        var login = GetAsync(api, Basic("tje0", "Tje0"));
        var first = await Task.WhenAny(login, Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        gate.Set();
        Assert.Same(login, first);
        var refused = await login;

        var body = await refused.AssertAsync(503, "application/json");
        Assert.Contains("\"ErrorSource\":\"Authorization\"", body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        foreach (var response in await Task.WhenAll(busy))
        {
            await AuthTestKit.AssertUnauthorizedAsync(response);
        }

        Assert.Equal(Environment.ProcessorCount, hasher.Verifications - before);
    }

    [Fact]
    public async Task ConcurrentLoginsWithTheSameCredentialsShareOneVerificationAndNoneIsRefused()
    {
        // One client sending Basic on many requests at once, before its credentials are remembered: one PBKDF2 run
        // answers them all, so a burst from one client never fills the verification queue (was 503 past the queue).
        using var gate = new ManualResetEventSlim();
        var hasher = new CountingPasswordHasher(onVerify: gate.Wait);
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:PasswordQueueLimit"] = "0" });
        var before = hasher.Verifications;

        var logins = Enumerable.Range(0, 20).Select(_ => GetAsync(api, Basic("tje0", "Tje0"))).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hasher.Verifications == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(500, TestContext.Current.CancellationToken); // the rest arrive while the first is verifying
        gate.Set();
        foreach (var response in await Task.WhenAll(logins))
        {
            await response.AssertAsync(200, "application/json");
        }

        Assert.Equal(1, hasher.Verifications - before);
    }

    [Fact]
    public async Task ConcurrentLoginsWithTheSameWrongPasswordAreAllRefused()
    {
        using var gate = new ManualResetEventSlim();
        var hasher = new CountingPasswordHasher(onVerify: gate.Wait);
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:PasswordQueueLimit"] = "0" });
        var before = hasher.Verifications;

        var logins = Enumerable.Range(0, 5).Select(_ => GetAsync(api, Basic("tje0", "wrong"))).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hasher.Verifications == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(500, TestContext.Current.CancellationToken);
        gate.Set();
        foreach (var response in await Task.WhenAll(logins))
        {
            await AuthTestKit.AssertUnauthorizedAsync(response);
        }

        await (await GetAsync(api, Basic("tje0", "Tje0"))).AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task ALoginWhoseRequestWasAbortedGivesUpItsPlaceInTheVerificationQueue()
    {
        using var gate = new ManualResetEventSlim();
        var hasher = new CountingPasswordHasher(onVerify: gate.Wait);
        await using var api = await StartAsync(hasher, new Dictionary<string, string?> { ["Auth:PasswordQueueLimit"] = "1" });
        var before = hasher.Verifications;
        var busy = Enumerable.Range(0, Environment.ProcessorCount).Select(i => GetAsync(api, Basic("ghost-" + i, "wrong"))).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hasher.Verifications - before < Environment.ProcessorCount && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // Queued behind the busy slots, then the client hangs up: its verification must not keep the queue's one place.
        using var hangUp = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Get, OwnStatus);
        request.Headers.Authorization = TestApi.Basic("tje0", "Tje0");
        var abandoned = api.Anonymous.SendAsync(request, hangUp.Token);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        var waiting = GetAsync(api, Basic("anna", "Anna!"));
        var first = await Task.WhenAny(waiting, Task.Delay(1000, TestContext.Current.CancellationToken));
        gate.Set();
        Assert.NotSame(waiting, first); // queued, not refused 503 at once
        await (await waiting).AssertAsync(200, "application/json");
        await Task.WhenAll(busy);
    }

    [Fact]
    public async Task ClientsAtDifferentAddressesDoNotShareAVerificationOrEachOthersThrottle()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher, new Dictionary<string, string?>
        {
            ["Auth:FailedLoginsPerAddress"] = "1",
            ["Auth:FailedLoginsPerName"] = "100",
            ["Auth:TrustForwardedFor"] = "true",
        });

        // 203.0.113.7 has spent its failures; the same right password from another client still signs in.
        await AuthTestKit.AssertUnauthorizedAsync(await GetAsync(api, Basic("nobody", "wrong", forwardedFor: "203.0.113.7")));
        var logins = await Task.WhenAll(
            GetAsync(api, Basic("tje0", "Tje0", forwardedFor: "203.0.113.7")),
            GetAsync(api, Basic("tje0", "Tje0", forwardedFor: "198.51.100.4")));

        Assert.Equal(429, (int)logins[0].StatusCode);
        await logins[1].AssertAsync(200, "application/json");
    }

    [Fact]
    public async Task AHashMadeWithFewerIterationsIsUpgradedOnTheNextLogin()
    {
        var hasher = new CountingPasswordHasher();
        await using var api = await StartAsync(hasher);
        var weak = new PasswordHasher<UserEntity>(Options.Create(new PasswordHasherOptions { IterationCount = 10_000 }));
        var weakStore = new CredentialStore(api.Get<StorageTables>(), weak, TimeProvider.System, api.Get<IOptions<AuthOptions>>());
        await weakStore.AddOrUpdateUserAsync("old0", "Old-password", 261, isAdministrator: false, CancellationToken.None);
        var old = (await api.Credentials.FindUserAsync("old0", CancellationToken.None))!;
        Assert.Equal(10_000, Iterations(old.PasswordHash));

        await (await GetAsync(api, Basic("old0", "Old-password"))).AssertAsync(200, "application/json");

        var upgraded = (await api.Credentials.FindUserAsync("old0", CancellationToken.None))!;
        Assert.NotEqual(old.PasswordHash, upgraded.PasswordHash);
        Assert.True(Iterations(upgraded.PasswordHash) >= 210_000);
        Assert.Equal(2u, Prf(upgraded.PasswordHash)); // KeyDerivationPrf.HMACSHA512
        Assert.Equal(PasswordVerificationResult.Success, api.Get<IPasswordHasher<UserEntity>>().VerifyHashedPassword(upgraded, upgraded.PasswordHash, "Old-password"));
        Assert.Equal(PasswordVerificationResult.Failed, api.Get<IPasswordHasher<UserEntity>>().VerifyHashedPassword(upgraded, upgraded.PasswordHash, "other"));
    }

    [Fact]
    public async Task NewPasswordsAreHashedWithPbkdf2HmacSha512AtTheConfiguredIterations()
    {
        await using var api = await TestApi.StartAsync(azurite);

        var admin = (await api.Credentials.FindUserAsync(TestApi.AdminUser, CancellationToken.None))!;

        Assert.Equal(AuthOptions.MinimumPasswordIterations, Iterations(admin.PasswordHash));
        Assert.Equal(2u, Prf(admin.PasswordHash));
    }

    // Identity's format V3: 0x01, PRF, iteration count, salt length, each a big-endian uint32, then salt and subkey.
    private static uint Prf(string hash) => BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(hash).AsSpan(1, 4));

    private static int Iterations(string hash) => (int)BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(hash).AsSpan(5, 4));
}
