using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Tests.Integration.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tests.Unit.Fuzz;

namespace PresenceFunctions.Tests.Integration.Reliability;

/// <summary>
/// Generated hostile requests through the whole HTTP pipeline: every body format, Accept, $select, every
/// auth header and the language headers. Never a 5xx, always the error body, no secret or stack trace echoed.
/// </summary>
public sealed class HostileRequestTests(AzuriteFixture azurite)
{
    private const int RequestCount = 3000;

    private sealed record Secrets(string AdminPassword, string UserPassword, string Ticket, string Xsrf, string AppToken)
    {
        public IEnumerable<string> All => [AdminPassword, UserPassword, Ticket, Xsrf, AppToken];
    }

    private sealed record HostileRequest(string Method, string Path, string? ContentType, string? Body, Dictionary<string, string> Headers)
    {
        public override string ToString() =>
            $"{Method} {Path} [{ContentType}] {string.Join("; ", Headers.Select(h => h.Key + ": " + h.Value))} :: {Body?[..Math.Min(Body.Length, 300)]}";
    }

    [Fact]
    public async Task HostileRequestsNeverGetAServerErrorAndAlwaysGetTheErrorBody()
    {
        var logs = new CapturedLogs();
        await using var api = await TestApi.StartAsync(
            azurite,
            services =>
            {
                // Cheap hashing here: this suite is about input handling, not PBKDF2's cost.
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000);
                services.UseServiceBus(new FlakySender());
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
            },
            new Dictionary<string, string?>(AuthTestKit.BearerSettings())
            {
                ["Auth:AllowedAppTokens"] = "partner-allowed-token",
                ["Logging:LogLevel:Default"] = "Debug",
            });
        var userPassword = "u-" + Guid.NewGuid().ToString("N");
        await api.Credentials.AddOrUpdateUserAsync("tje0", userPassword, 259, isAdministrator: false, CancellationToken.None);
        var ticket = await api.Credentials.IssueSoTicketAsync(259, isAdministrator: false, TimeSpan.FromHours(1), CancellationToken.None);
        var admin = api.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var secrets = new Secrets(
            Encoding.UTF8.GetString(Convert.FromBase64String(admin)).Split(':', 2)[1], userPassword, ticket.Ticket, ticket.XsrfToken, "partner-allowed-token");

        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var requests = Gen.Sample(Requests(secrets, admin), RequestCount, 30); // (count, size)
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken }, async (request, ct) =>
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (request.Body is not null)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
                if (request.ContentType is not null)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
                }
            }

            foreach (var (name, value) in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            var response = await api.Anonymous.SendAsync(message, ct);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            var problem = Check(response, await response.Content.ReadAsStringAsync(ct), secrets);
            if (problem is not null)
            {
                failures.Add(problem + " <= " + request);
            }
        });

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(10)));

        // The generator reaches every layer: success, bad input, wrong type, no or bad credentials, forbidden, no route.
        Assert.True(
            new[] { 200, 400, 401, 403, 404, 405, 415 }.All(statuses.ContainsKey),
            "Statuses seen: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.DoesNotContain(logs.Entries, e => secrets.All.Any(s => e.Contains(s, StringComparison.Ordinal)));
    }

    private static string? Check(HttpResponseMessage response, string body, Secrets secrets)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"{status}: {body}";
        }

        if (body.Contains("Exception", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal))
        {
            return $"internal detail in {status}: {body}";
        }

        if (secrets.All.Any(s => body.Contains(s, StringComparison.Ordinal)))
        {
            return $"a secret echoed in {status}";
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        try
        {
            if (mediaType.EndsWith("xml", StringComparison.Ordinal))
            {
                var root = XDocument.Parse(body).Root!;
                var expected = status == 200 ? "UserPresenceStatus" : "ErrorResponse";
                return root.Name.LocalName == expected && (status == 200 || root.Element("Error")?.Value == "true") ? null : $"{status} XML body {body}";
            }

            var json = JsonDocument.Parse(body).RootElement;
            if (status == 200)
            {
                return json.TryGetProperty("Status", out _) && json.TryGetProperty("Message", out _) ? null : $"200 body {body}";
            }

            var complete = json.GetProperty("Error").GetBoolean()
                && !string.IsNullOrEmpty(json.GetProperty("ErrorType").GetString())
                && !string.IsNullOrEmpty(json.GetProperty("ErrorMessage").GetString())
                && json.TryGetProperty("ErrorSource", out _);
            var challenged = status != 401 || response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Basic");
            return complete && challenged ? null : $"{status} error body {body}";
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException or KeyNotFoundException or InvalidOperationException or NullReferenceException)
        {
            return $"{status} unreadable body ({mediaType}): {body}";
        }
    }

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/json", "application/xml", "text/xml; charset=utf-8",
        "application/x-www-form-urlencoded", "application/merge-patch+json", "application/json-patch+json",
        "text/plain", "application/json; charset=latin1", "multipart/form-data; boundary=x", "not/a type", ";;;",
    ];

    private static readonly string[] Accepts =
    [
        "application/json", "application/xml", "text/xml;q=0.9, text/json;q=0.8", "*/*", "application/*;q=0", "image/png",
        "application/json-patch+json", "text/*", "q=1, ;;", "application/xml;q=abc",
    ];

    private static Gen<HostileRequest> Requests(Secrets secrets, string adminBasic) =>
        from route in Gen.Frequency(
            (3, Gen.Constant(("POST", "/api/v1/Agents/User/SetUserPresenceStatus", HostileText.JsonSeeds, HostileText.XmlSeeds[0]))),
            (2, Gen.Constant(("POST", "/api/v1/Agents/User/GetUserPresenceStatus", HostileText.JsonSeeds, HostileText.XmlSeeds[2]))),
            (2, Gen.Elements("259", "1", "0", "-1", "abc", "99999999999", "%20", "260").Select(id => ("GET", $"/api/v1/User/{id}/UserPresenceStatus", HostileText.JsonSeeds, HostileText.XmlSeeds[1]))),
            (3, Gen.Elements("259", "260", "0", "x").Select(id => ("PUT", $"/api/v1/User/{id}/UserPresenceStatus", HostileText.JsonSeeds, HostileText.XmlSeeds[1]))),
            (1, Gen.Elements("DELETE", "PATCH", "GET", "POST").Select(m => (m, "/api/v1/Agents/User/Nothing", HostileText.JsonSeeds, HostileText.XmlSeeds[0]))),
            (1, Gen.Elements("DELETE", "PATCH", "POST").Select(m => (m, "/api/v1/User/259/UserPresenceStatus", HostileText.JsonSeeds, HostileText.XmlSeeds[1]))))
        from contentType in Gen.Elements(ContentTypes)
        from body in contentType.Contains("xml", StringComparison.Ordinal) ? HostileText.Body(route.Item4)
            : contentType.Contains("form", StringComparison.Ordinal) ? HostileText.Body(HostileText.FormSeeds)
            : HostileText.Body(route.Item3)
        from selection in Gen.Frequency((3, Gen.Constant<string?>(null)), (2, HostileText.Body("status", "Message,STATUS", "a/b").Select(s => (string?)s)))
        from accept in Gen.Elements(Accepts)
        from auth in Authorization(secrets, adminBasic)
        from appToken in Gen.Frequency((8, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>(secrets.AppToken)), (1, HostileText.Noise().Select(s => (string?)s)))
        from language in Gen.Frequency((3, Gen.Constant<string?>(null)), (1, Gen.Elements("nb-NO", "en;q=0.1, *", "x", "*", "zz-ZZ", "de, en;q=abc").Select(s => (string?)s)), (1, HostileText.Noise().Select(s => (string?)s)))
        let path = selection is null ? route.Item2 : route.Item2 + "?$select=" + Uri.EscapeDataString(selection)
        let headers = Headers(accept, auth, appToken, language)
        select new HostileRequest(route.Item1, path, contentType, route.Item1 == "GET" ? null : body, headers);

    private static Dictionary<string, string> Headers(string accept, (string Name, string Value)[] auth, string? appToken, string? language)
    {
        var headers = new Dictionary<string, string> { ["Accept"] = accept };
        foreach (var (name, value) in auth)
        {
            headers[name] = Clean(value);
        }

        if (appToken is not null)
        {
            headers["SO-AppToken"] = Clean(appToken);
        }

        if (language is not null)
        {
            headers["Accept-Language"] = Clean(language);
            headers["SO-Language"] = Clean(language);
            headers["SO-Culture"] = Clean(language);
            headers["SO-TimeZone"] = Clean(language);
        }

        return headers;
    }

    /// <summary>HttpClient refuses line breaks and NULs in header values outright, before anything reaches the server.</summary>
    private static string Clean(string value) => new([.. value.Where(c => c is not ('\r' or '\n' or '\0'))]);

    private static Gen<(string Name, string Value)[]> Authorization(Secrets secrets, string adminBasic) =>
        Gen.Frequency(
            (12, Gen.Constant<(string, string)[]>([("Authorization", "Basic " + adminBasic)])),
            (2, Gen.Constant<(string, string)[]>([("Authorization", "Basic " + Base64("tje0:" + secrets.UserPassword))])),
            (1, Gen.Constant<(string, string)[]>([("Authorization", "SoTicket " + secrets.Ticket)])),
            (1, Gen.Elements(secrets.Xsrf, "wrong", "").Select(x => new[] { ("Cookie", "SoTicket=" + secrets.Ticket), ("X-XSRF-TOKEN", x) })),
            (1, Gen.Elements(AuthTestKit.Jwt(), AuthTestKit.Jwt(associateId: null), AuthTestKit.Tampered(AuthTestKit.Jwt()), "a.b.c", "").Select(t => new[] { ("Authorization", "Bearer " + t) })),
            (2, from scheme in Gen.Elements("Basic", "SoTicket", "Bearer", "Digest", "basic", "", "Basic  ")
                from noise in HostileText.Noise()
                select new[] { ("Authorization", scheme + " " + noise) }),
            (1, HostileText.Noise().Select(n => new[] { ("Authorization", "Basic " + Base64(n)) })),
            (1, HostileText.Noise().Select(n => new[] { ("Cookie", "SoTicket=" + n) })),
            (1, Gen.Constant(Array.Empty<(string, string)>())));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
