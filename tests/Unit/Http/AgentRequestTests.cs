using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class AgentRequestTests
{
    private static QueryCollection Query(params (string Key, string[] Values)[] parameters) =>
        new(parameters.ToDictionary(p => p.Key, p => new StringValues(p.Values), StringComparer.OrdinalIgnoreCase));

    private static QueryCollection Query(string queryString) => new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString));

    private static JsonObject Body(string json) => (JsonObject)RequestDocument.ParseJson(System.Text.Encoding.UTF8.GetBytes(json))!;

    private static SetPresenceRequest Set(string query, string? body) =>
        PresenceRequestBinder.BindSet(AgentRequest.Merge(AgentQuery.Read(Query(query), RequestShape.SetRequest), body is null ? null : Body(body)));

    private static ApiError SetRefused(string query, string? body) =>
        Assert.Throws<ApiException>(() => Set(query, body)).Error;

    [Theory]
    [InlineData("?associateId=259")]
    [InlineData("?ASSOCIATEID=259")]
    [InlineData("?AssociateId=%20259")]
    public void TheAssociateIdIsReadFromTheQueryInAnyCase(string query)
    {
        Assert.Equal(259, PresenceRequestBinder.BindGet(AgentRequest.Merge(AgentQuery.Read(Query(query), RequestShape.GetRequest), null)));
    }

    [Fact]
    public void TheCarrierIsReadFromTheQueryDottedOrBracketed()
    {
        var request = Set("?associateId=259&UserPresenceStatus.Status=StatusNotAvailable&userpresencestatus[message]=Out%20to%20lunch", null);
        Assert.Equal(259, request.AssociateId);
        Assert.Equal(new UserPresenceStatus(UserStatus.StatusNotAvailable, "Out to lunch"), request.Carrier);
    }

    [Fact]
    public void QueryAndBodyCombine()
    {
        var request = Set("?associateId=259", """{"UserPresenceStatus": {"Status": "StatusNotAvailable"}}""");
        Assert.Equal(new SetPresenceRequest(259, new UserPresenceStatus(UserStatus.StatusNotAvailable, null)), request);

        request = Set("?UserPresenceStatus.Message=Lunch", """{"AssociateId": 259, "UserPresenceStatus": {"Status": 2}}""");
        Assert.Equal(new SetPresenceRequest(259, new UserPresenceStatus(UserStatus.StatusNotAvailable, "Lunch")), request);
    }

    [Theory]
    [InlineData("?associateId=259", """{"AssociateId": 259}""")]
    [InlineData("?associateId=259", """{"AssociateId": "259"}""")]
    [InlineData("?UserPresenceStatus.Status=2&associateId=259", """{"AssociateId": 259, "UserPresenceStatus": {"Status": "statusNotAvailable"}}""")]
    [InlineData("?UserPresenceStatus[Message]=x", """{"AssociateId": 259, "UserPresenceStatus": {"Status": 1, "Message": "x"}}""")]
    public void TheSameValueInQueryAndBodyIsFine(string query, string body)
    {
        Assert.Equal(259, Set(query, body).AssociateId);
    }

    [Theory]
    [InlineData("?associateId=260", """{"AssociateId": 259}""", "AssociateId")]
    [InlineData("?associateId=259", """{"AssociateId": null}""", "AssociateId")]
    [InlineData("?UserPresenceStatus.Status=1", """{"AssociateId": 259, "UserPresenceStatus": {"Status": 2}}""", "UserPresenceStatus.Status")]
    [InlineData("?UserPresenceStatus[Message]=x", """{"AssociateId": 259, "UserPresenceStatus": {"Status": 1, "Message": "X"}}""", "UserPresenceStatus.Message")]
    [InlineData("?UserPresenceStatus.Status=1", """{"AssociateId": 259, "UserPresenceStatus": null}""", "UserPresenceStatus")]
    public void DifferentValuesInQueryAndBodyAre400NamingTheField(string query, string body, string field)
    {
        var error = SetRefused(query, body);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(field, error.ErrorSource);
        Assert.Contains("different values", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AQueryParameterGivenTwiceIs400()
    {
        var error = Assert.Throws<ApiException>(() => AgentQuery.Read(Query(("associateId", ["259", "259"])), RequestShape.GetRequest)).Error;
        Assert.Equal("associateId", error.ErrorSource);
        Assert.Contains("more than once", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ADottedAndABracketedQueryParameterForTheSamePathAre400()
    {
        Assert.Equal(400, SetRefused("?UserPresenceStatus.Status=1&UserPresenceStatus[Status]=1", null).StatusCode);
    }

    [Fact]
    public void UnknownQueryParametersAndSelectAreIgnored()
    {
        Assert.Null(AgentQuery.Read(Query("?$select=Status&format=xml&_=12345&associate=1&associateIdX=2"), RequestShape.SetRequest));
    }

    [Fact]
    public void GetIgnoresCarrierParameters()
    {
        Assert.Null(AgentQuery.Read(Query("?UserPresenceStatus.Status=1"), RequestShape.GetRequest));
    }

    [Theory]
    [InlineData("?associateId=259&UserPresenceStatus[Foo]=1")]
    [InlineData("?associateId=259&UserPresenceStatus.Foo.Bar=1")]
    [InlineData("?associateId=259&UserPresenceStatus=")]
    public void AQueryCarrierFromWhichNothingBindsIs400(string query)
    {
        Assert.Equal("UserPresenceStatus", SetRefused(query, null).ErrorSource);
    }

    [Fact]
    public void WithNeitherBodyNorQueryParametersABodyIsRequired()
    {
        var error = Assert.Throws<ApiException>(() => AgentRequest.Merge(null, null)).Error;
        Assert.Equal("Body", error.ErrorSource);
    }
}
