using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class PresenceQueriesTests
{
    private static QueryCollection Query(string query) => new(QueryHelpers.ParseQuery(query));

    private static string FieldOf(Action read) => Assert.Throws<ApiException>(read).Error.ErrorSource;

    [Theory]
    [InlineData("?expiresIn=PT10S", 10)]
    [InlineData("?EXPIRESIN=PT2H", 7200)]
    [InlineData("?expiresIn=P1DT30M", 88_200)]
    [InlineData("?expiresIn=P7D", 604_800)]
    [InlineData("?expiresIn=%20PT1S%20", 1)]
    public void ExpiresInIsAnIso8601Duration(string query, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PresenceQueries.ExpiresIn(Query(query)));
    }

    [Fact]
    public void WithoutExpiresInThereIsNoExpiry()
    {
        Assert.Null(PresenceQueries.ExpiresIn(Query("?associateId=3&$select=Status")));
    }

    [Theory]
    [InlineData("?expiresIn=")]
    [InlineData("?expiresIn=PT0S")]
    [InlineData("?expiresIn=P7DT0.001S")]
    [InlineData("?expiresIn=P1M")]
    [InlineData("?expiresIn=-PT5M")]
    [InlineData("?expiresIn=7200")]
    [InlineData("?expiresIn=00:10:00")]
    [InlineData("?expiresIn=PT99999999999999999999H")]
    [InlineData("?expiresIn=PT1H&expiresIn=PT2H")]
    public void AnythingButADurationFromOneSecondToSevenDaysIsRefusedNamingExpiresIn(string query)
    {
        Assert.Equal("expiresIn", FieldOf(() => PresenceQueries.ExpiresIn(Query(query))));
    }

    [Fact]
    public void AHistoryPageIsTwentyFromTheNewestUnlessAsked()
    {
        Assert.Equal((20, 0), PresenceQueries.HistoryPage(Query("")));
        Assert.Equal((100, 1_000_000), PresenceQueries.HistoryPage(Query("?$TOP=100&$skip=1000000&$select=Status")));
    }

    [Theory]
    [InlineData("?$top=0", "$top")]
    [InlineData("?$top=101", "$top")]
    [InlineData("?$skip=-1", "$skip")]
    [InlineData("?$skip=1000001", "$skip")]
    [InlineData("?$continuation=x", "$continuation")]
    public void AHistoryPageOutOfBoundsOrUnknownIsRefusedNamingTheParameter(string query, string field)
    {
        Assert.Equal(field, FieldOf(() => PresenceQueries.HistoryPage(Query(query))));
    }

    [Fact]
    public void AssociateIdsKeepTheirOrderAndLoseTheirDuplicates()
    {
        Assert.Equal([3, 1, 2], PresenceQueries.AssociateIds(Query("?associateIds=3, 1,3,2 ,1")));
    }

    [Fact]
    public void AHundredDistinctIdsAreTheMost()
    {
        Assert.Equal(100, PresenceQueries.AssociateIds(Query("?associateIds=" + string.Join(',', Enumerable.Range(1, 100)))).Count);
        Assert.Equal("associateIds", FieldOf(() => PresenceQueries.AssociateIds(Query("?associateIds=" + string.Join(',', Enumerable.Range(1, 101))))));
    }

    [Fact]
    public void AListOfDuplicatesIsBoundedBeforeTheyAreRemoved()
    {
        Assert.Single(PresenceQueries.AssociateIds(Query("?associateIds=" + string.Join(',', Enumerable.Repeat(7, PresenceQueries.MaxAssociateIdEntries)))));
        Assert.Equal("associateIds", FieldOf(() => PresenceQueries.AssociateIds(Query("?associateIds=" + string.Join(',', Enumerable.Repeat(7, PresenceQueries.MaxAssociateIdEntries + 1))))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?associateIds=")]
    [InlineData("?associateIds=1,")]
    [InlineData("?associateIds=%2B1")]
    [InlineData("?associateIds=0")]
    [InlineData("?associateIds=1.5")]
    [InlineData("?associateIds=2147483648")]
    [InlineData("?associateIds=1&associateIds=2")]
    public void ABadListIsRefusedNamingAssociateIds(string query)
    {
        Assert.Equal("associateIds", FieldOf(() => PresenceQueries.AssociateIds(Query(query))));
    }
}
