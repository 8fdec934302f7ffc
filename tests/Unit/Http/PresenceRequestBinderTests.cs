using System.Text.Json.Nodes;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class PresenceRequestBinderTests
{
    private static JsonObject Json(string json) => (JsonObject)RequestDocument.ParseJson(System.Text.Encoding.UTF8.GetBytes(json))!;

    private static ApiError SetRefused(string json) =>
        Assert.Throws<ApiException>(() => PresenceRequestBinder.BindSet(Json(json))).Error;

    [Theory]
    [InlineData("""{"AssociateId": 259}""")]
    [InlineData("""{"AssociateId": 259, "UserPresenceStatus": null}""")]
    public void AMissingOrNullCarrierMeansChangeNothing(string json)
    {
        var request = PresenceRequestBinder.BindSet(Json(json));
        Assert.Equal(259, request.AssociateId);
        Assert.Null(request.Carrier);
    }

    [Theory]
    [InlineData("""{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable"}}""", UserStatus.StatusNotAvailable)]
    [InlineData("""{"AssociateId": 259, "UserPresenceStatus": {"Status": 2}}""", UserStatus.StatusNotAvailable)]
    [InlineData("""{"AssociateId": 259, "UserPresenceStatus": {"Status": "1"}}""", UserStatus.StatusNormal)]
    [InlineData("""{"AssociateId": 259, "UserPresenceStatus": {"Status": "statusnormal"}}""", UserStatus.StatusNormal)]
    public void StatusIsReadByNameOrNumber(string json, UserStatus expected)
    {
        Assert.Equal(expected, PresenceRequestBinder.BindSet(Json(json)).Carrier!.Status);
    }

    [Theory]
    [InlineData("StatusNone")]
    [InlineData("StatusDeleted")]
    [InlineData("StatusReadOnly")]
    [InlineData("StatusSpm")]
    [InlineData("StatusSystem")]
    [InlineData("127")]
    [InlineData("0")]
    public void AccountStatesAreRefusedAsPresence(string status)
    {
        var error = SetRefused($$$"""{"AssociateId": 259, "UserPresenceStatus": {"Status": "{{{status}}}"}}""");
        Assert.Equal("UserPresenceStatus.Status", error.ErrorSource);
        Assert.Contains("describes an account", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Away\"")]
    [InlineData("7")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("\"\"")]
    [InlineData("null")]
    public void UnknownOrMissingStatusIs400NamingTheField(string status)
    {
        var error = SetRefused($$$"""{"AssociateId": 259, "UserPresenceStatus": {"Status": {{{status}}}}}""");
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("UserPresenceStatus.Status", error.ErrorSource);
    }

    [Theory]
    [InlineData("""{"UserPresenceStatus": null}""", "AssociateId is required.")]
    [InlineData("""{"AssociateId": null}""", "AssociateId must not be null.")]
    [InlineData("""{"AssociateId": 0}""", "AssociateId must be a positive integer.")]
    [InlineData("""{"AssociateId": -4}""", "AssociateId must be a positive integer.")]
    [InlineData("""{"AssociateId": 2.5}""", "AssociateId must be a positive integer.")]
    [InlineData("""{"AssociateId": 99999999999}""", "AssociateId must be a positive integer.")]
    [InlineData("""{"AssociateId": "abc"}""", "AssociateId must be a positive integer.")]
    [InlineData("""{"AssociateId": true}""", "AssociateId must be a positive integer.")]
    public void AssociateIdMustBeAPositiveInteger(string json, string message)
    {
        var error = SetRefused(json);
        Assert.Equal("AssociateId", error.ErrorSource);
        Assert.Equal(message, error.ErrorMessage);
    }

    [Theory]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": 5}""", "UserPresenceStatus")]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": {"Status": 1, "Message": 5}}""", "UserPresenceStatus.Message")]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": {"Status": 1, "Message": "bell\u0007"}}""", "UserPresenceStatus.Message")]
    public void MalformedCarriersAre400NamingTheField(string json, string field)
    {
        Assert.Equal(field, SetRefused(json).ErrorSource);
    }

    [Theory]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": {}}""")]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": {"Foo": 1}}""")]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": {"status ": 1, "Mesage": "x"}}""")]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatus": ""}""")]
    public void ACarrierFromWhichNeitherStatusNorMessageBindsIs400NamingIt(string json)
    {
        var error = SetRefused(json);
        Assert.Equal("UserPresenceStatus", error.ErrorSource);
        Assert.Contains("neither Status nor Message", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<SetUserPresenceStatusRequest><AssociateId>1</AssociateId><UserPresenceStatus/></SetUserPresenceStatusRequest>", RequestFormat.Xml)]
    [InlineData("<SetUserPresenceStatusRequest><AssociateId>1</AssociateId><UserPresenceStatus><Foo>1</Foo></UserPresenceStatus></SetUserPresenceStatusRequest>", RequestFormat.Xml)]
    [InlineData("AssociateId=1&UserPresenceStatus[Foo]=1", RequestFormat.Form)]
    [InlineData("AssociateId=1&UserPresenceStatus=", RequestFormat.Form)]
    public void AnXmlOrFormCarrierFromWhichNothingBindsIs400NamingIt(string body, RequestFormat format)
    {
        var document = RequestDocument.Parse(System.Text.Encoding.UTF8.GetBytes(body), format, RequestShape.SetRequest);
        Assert.Equal("UserPresenceStatus", Assert.Throws<ApiException>(() => PresenceRequestBinder.BindSet(document)).Error.ErrorSource);
    }

    [Fact]
    public void AnXmlNilCarrierStillMeansChangeNothing()
    {
        var document = RequestDocument.Parse(
            """<SetUserPresenceStatusRequest xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><AssociateId>1</AssociateId><UserPresenceStatus i:nil="true"/></SetUserPresenceStatusRequest>"""u8,
            RequestFormat.Xml,
            RequestShape.SetRequest);
        Assert.Null(PresenceRequestBinder.BindSet(document).Carrier);
    }

    [Theory]
    [InlineData("""{"AssociateId": 1, "Status": "StatusNotAvailable"}""", "Status")]
    [InlineData("""{"AssociateId": 1, "UserPresenceStatusX": {"Status": 2}}""", "UserPresenceStatusX")]
    public void ASetWithoutACarrierButWithUnknownPropertiesIs400NamingThem(string json, string field)
    {
        var error = SetRefused(json);
        Assert.Equal(field, error.ErrorSource);
        Assert.Contains("not a property", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownPropertiesBesideACarrierThatBindsAreIgnored()
    {
        Assert.Equal(UserStatus.StatusNormal, PresenceRequestBinder.BindSet(Json("""{"AssociateId": 1, "Extra": 2, "UserPresenceStatus": {"Status": 1, "Extra": 3}}""")).Carrier!.Status);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"Foo": 1}""")]
    public void ABareCarrierFromWhichNothingBindsIs400NamingIt(string json)
    {
        var error = Assert.Throws<ApiException>(() => PresenceRequestBinder.BindCarrier(Json(json))).Error;
        Assert.Equal("UserPresenceStatus", error.ErrorSource);
    }

    [Fact]
    public void MessagesOverTheLimitAreRefused()
    {
        var message = new string('x', PresenceRules.MaxMessageLength + 1);
        Assert.Equal("UserPresenceStatus.Message", SetRefused($$$"""{"AssociateId": 1, "UserPresenceStatus": {"Status": 2, "Message": "{{{message}}}"}}""").ErrorSource);
        message = new string('x', PresenceRules.MaxMessageLength);
        Assert.Equal(message, PresenceRequestBinder.BindSet(Json($$$"""{"AssociateId": 1, "UserPresenceStatus": {"Status": 2, "Message": "{{{message}}}"}}""")).Carrier!.Message);
    }

    [Fact]
    public void MessagesKeepTabsNewlinesAndNonAsciiText()
    {
        var carrier = PresenceRequestBinder.BindSet(Json("""{"AssociateId": 1, "UserPresenceStatus": {"Status": 2, "Message": "NO:\"Ikke til stede\";\tUS:\"Away\"\r\n😀 ø"}}""")).Carrier!;
        Assert.Equal("NO:\"Ikke til stede\";\tUS:\"Away\"\r\n😀 ø", carrier.Message);
    }

    [Fact]
    public void UnknownPropertiesAreIgnored()
    {
        Assert.Equal(7, PresenceRequestBinder.BindGet(Json("""{"AssociateId": 7, "Extra": [1, 2]}""")));
    }

    [Fact]
    public void ABareCarrierRequiresStatus()
    {
        Assert.Equal("Status", Assert.Throws<ApiException>(() => PresenceRequestBinder.BindCarrier(Json("""{"Message": "x"}"""))).Error.ErrorSource);
    }

    [Theory]
    [InlineData("259", 259)]
    [InlineData(" 12 ", 12)]
    public void RouteAssociateIdsAreParsed(string value, int expected)
    {
        Assert.Equal(expected, PresenceRequestBinder.ParseRouteAssociateId(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1e3")]
    public void BadRouteAssociateIdsAre400(string? value)
    {
        Assert.Equal("associateId", Assert.Throws<ApiException>(() => PresenceRequestBinder.ParseRouteAssociateId(value)).Error.ErrorSource);
    }
}
