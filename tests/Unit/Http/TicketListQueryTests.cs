using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PresenceFunctions.Http;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class TicketListQueryTests
{
    private static TicketListQuery Read(string query, bool withFilters = true) =>
        TicketListQuery.Read(new QueryCollection(QueryHelpers.ParseQuery(query)), withFilters);

    [Fact]
    public void WithoutParametersAPageIsTheFirstHundredOfEveryOwnerAndState()
    {
        Assert.Equal(new TicketListQuery(null, null, 100, 0, null), Read(""));
    }

    [Fact]
    public void NamesMatchInAnyCase()
    {
        Assert.Equal(new TicketListQuery(0, TicketState.Closed, 1000, 10_000, null), Read("?OWNERID=0&State=closed&$TOP=1000&$Skip=10000&$select=TicketId"));
        Assert.Equal(new TicketListQuery(null, null, 5, 0, "token"), Read("?$top=5&$continuation=token", withFilters: false));
    }

    [Theory]
    [InlineData("?$top=0", "$top")]
    [InlineData("?$top=1001", "$top")]
    [InlineData("?$top=ten", "$top")]
    [InlineData("?$skip=-1", "$skip")]
    [InlineData("?$skip=10001", "$skip")]
    [InlineData("?$skip=2&$continuation=t", "$skip")]
    [InlineData("?$continuation=", "$continuation")]
    [InlineData("?ownerId=-1", "ownerId")]
    [InlineData("?state=Pending", "state")]
    [InlineData("?state=0", "state")]
    [InlineData("?owner=2", "owner")]
    [InlineData("?$top=1&$top=2", "$top")]
    public void ABadParameterIsRefusedNamingIt(string query, string field)
    {
        var error = Assert.Throws<ApiException>(() => Read(query)).Error;
        Assert.Equal((400, field), (error.StatusCode, error.ErrorSource));
    }

    [Fact]
    public void AContinuationLongerThanAnyTokenIsRefused()
    {
        Assert.Equal("$continuation", Assert.Throws<ApiException>(() => Read("?$continuation=" + new string('a', TicketListQuery.MaxContinuationLength + 1))).Error.ErrorSource);
    }

    [Fact]
    public void AUsersListHasNoFilters()
    {
        Assert.Equal("ownerId", Assert.Throws<ApiException>(() => Read("?ownerId=2", withFilters: false)).Error.ErrorSource);
    }
}
