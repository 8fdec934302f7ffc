using Microsoft.Extensions.Options;
using PresenceFunctions.Auth;

namespace PresenceFunctions.Tests.Unit.Auth;

public sealed class VerifiedCredentialCacheTests
{
    private static readonly Caller Bench = new(259, IsAdministrator: false, SuperOfficeSchemes.Basic, "bench");

    private static VerifiedCredentialCache NewCache() => new(Options.Create(new AuthOptions()), TimeProvider.System);

    [Fact]
    public void TheKeyIsTheSameForTheNameInAnyCase()
    {
        using var cache = NewCache();
        Assert.Equal(cache.KeyOf("bench", "pw"), cache.KeyOf("BeNcH", "pw"));
    }

    [Theory]
    [InlineData("bench", "pw", "bench", "PW")]
    [InlineData("bench", "pw", "bench2", "pw")]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("a", ":b", "a:", "b")]
    public void TheKeyDiffersWhenTheCredentialsDiffer(string name, string password, string otherName, string otherPassword)
    {
        using var cache = NewCache();
        Assert.NotEqual(cache.KeyOf(name, password), cache.KeyOf(otherName, otherPassword));
    }

    [Fact]
    public void TheKeyIsAnHmacNotThePassword()
    {
        using var cache = NewCache();
        var key = cache.KeyOf("bench", "bench-password");
        Assert.DoesNotContain("bench", key, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(32, Convert.FromBase64String(key).Length);
    }

    [Fact]
    public void AnotherCacheKeysTheSameCredentialsUnderAnotherSecret()
    {
        using var one = NewCache();
        using var other = NewCache();
        Assert.NotEqual(one.KeyOf("bench", "pw"), other.KeyOf("bench", "pw"));
        Assert.Equal(one.KeyOf("bench", "pw"), one.KeyOf("bench", "pw"));
    }

    [Fact]
    public void LongCredentialsAreKeyedByEveryCharacter()
    {
        using var cache = NewCache();
        var name = new string('n', 5000);
        var password = new string('p', 20_000) + "æøå";
        Assert.Equal(cache.KeyOf(name, password), cache.KeyOf(name.ToUpperInvariant(), password));
        Assert.NotEqual(cache.KeyOf(name, password), cache.KeyOf(name, password[..^1] + "a"));
    }

    [Fact]
    public async Task ThreadsKeyingAtOnceAgreeWithOneThread()
    {
        using var cache = NewCache();
        var credentials = Enumerable.Range(0, 64).Select(i => ($"user{i}", $"password-{i}")).ToArray();
        var expected = credentials.Select(c => cache.KeyOf(c.Item1, c.Item2)).ToArray();
        var mismatches = 0;
        await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
        {
            var (name, password) = credentials[i % credentials.Length];
            if (cache.KeyOf(name, password) != expected[i % credentials.Length])
            {
                Interlocked.Increment(ref mismatches);
            }

            return ValueTask.CompletedTask;
        });
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void ARememberedCallerIsFoundByTheNameInAnyCaseAndOnlyWithItsPassword()
    {
        using var cache = NewCache();
        cache.Remember("bench", "bench-password", Bench);
        Assert.Same(Bench, cache.Find("BENCH", "bench-password"));
        Assert.Null(cache.Find("bench", "Bench-password"));
        Assert.Null(cache.Find("other", "bench-password"));
    }
}
