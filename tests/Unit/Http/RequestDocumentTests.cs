using System.Text;
using System.Text.Json.Nodes;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class RequestDocumentTests
{
    private const string SetJson = """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""";

    private static JsonObject Parse(string body, RequestFormat format, RequestShape? shape = null) =>
        RequestDocument.Parse(Encoding.UTF8.GetBytes(body), format, shape ?? RequestShape.SetRequest);

    private static ApiError Refused(string body, RequestFormat format, RequestShape? shape = null) =>
        Assert.Throws<ApiException>(() => Parse(body, format, shape)).Error;

    private static void AssertSetRequest(JsonObject document)
    {
        var request = PresenceRequestBinder.BindSet(document);
        Assert.Equal(259, request.AssociateId);
        Assert.Equal(PresenceFunctions.Presence.UserStatus.StatusNotAvailable, request.Carrier!.Status);
        Assert.Equal("Lunch", request.Carrier.Message);
    }

    [Fact]
    public void JsonPropertyNamesAreCaseInsensitive()
    {
        AssertSetRequest(Parse("""{"associateid": 259, "userPresenceStatus": {"STATUS": "StatusNotAvailable", "message": "Lunch"}}""", RequestFormat.Json));
    }

    [Fact]
    public void JsonWithAByteOrderMarkIsRead()
    {
        AssertSetRequest(RequestDocument.Parse([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(SetJson)], RequestFormat.Json, RequestShape.SetRequest));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"AssociateId": 259,}""")]
    [InlineData("""{"AssociateId": 259} trailing""")]
    [InlineData("nul")]
    public void MalformedJsonIs400(string body)
    {
        var error = Refused(body, RequestFormat.Json);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Body", error.ErrorSource);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("259")]
    public void AJsonBodyMustBeAnObject(string body)
    {
        Assert.Equal("The body must be an object.", Refused(body, RequestFormat.Json).ErrorMessage);
    }

    [Fact]
    public void APropertyGivenTwiceInDifferentCaseIs400()
    {
        Assert.Contains("more than once", Refused("""{"AssociateId": 1, "associateId": 2}""", RequestFormat.Json).ErrorMessage);
    }

    [Fact]
    public void AJsonStringEscapingALoneSurrogateIs400()
    {
        Assert.Contains("invalid", Refused("""{"AssociateId": 1, "UserPresenceStatus": {"Status": 1, "Message": "\ud800"}}""", RequestFormat.Json).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedJsonIs400()
    {
        var body = new string('[', 200) + new string(']', 200);
        Assert.Equal(400, Refused("{\"a\":" + body + "}", RequestFormat.Json).StatusCode);
    }

    [Fact]
    public void AnEmptyBodyIs400()
    {
        Assert.Equal("A request body is required.", Refused("  ", RequestFormat.Json).ErrorMessage);
    }

    [Fact]
    public void XmlUsesTheRequestTypeAsRootAndElementsAsProperties()
    {
        AssertSetRequest(Parse(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <SetUserPresenceStatusRequest>
              <AssociateId>259</AssociateId>
              <UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus>
            </SetUserPresenceStatusRequest>
            """,
            RequestFormat.Xml));
    }

    [Fact]
    public void XmlNamespacesAndNameCaseDoNotMatter()
    {
        AssertSetRequest(Parse(
            """<s:setuserpresencestatusrequest xmlns:s="urn:x" xmlns="urn:y"><associateId>259</associateId><USERPRESENCESTATUS><status>2</status><message>Lunch</message></USERPRESENCESTATUS></s:setuserpresencestatusrequest>""",
            RequestFormat.Xml));
    }

    [Fact]
    public void XmlNilIsNullAndAnEmptyElementIsAnEmptyString()
    {
        var document = Parse(
            """<UserPresenceStatus xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Status>StatusNormal</Status><Message i:nil="true"/></UserPresenceStatus>""",
            RequestFormat.Xml,
            RequestShape.Carrier);
        Assert.Null(PresenceRequestBinder.BindCarrier(document).Message);

        document = Parse("<UserPresenceStatus><Status>1</Status><Message/></UserPresenceStatus>", RequestFormat.Xml, RequestShape.Carrier);
        Assert.Equal("", PresenceRequestBinder.BindCarrier(document).Message);
    }

    [Fact]
    public void XmlWithTheWrongRootIs400()
    {
        var error = Refused("<GetUserPresenceStatusRequest><AssociateId>1</AssociateId></GetUserPresenceStatusRequest>", RequestFormat.Xml);
        Assert.Equal("The XML root element must be <SetUserPresenceStatusRequest>.", error.ErrorMessage);
    }

    [Theory]
    [InlineData("<SetUserPresenceStatusRequest><AssociateId>259</AssociateId>")]
    [InlineData("<SetUserPresenceStatusRequest><AssociateId>259</associateid></SetUserPresenceStatusRequest>")]
    [InlineData("not xml")]
    [InlineData("<SetUserPresenceStatusRequest/><Another/>")]
    public void MalformedXmlIs400(string body)
    {
        Assert.Equal(400, Refused(body, RequestFormat.Xml).StatusCode);
    }

    [Fact]
    public void XmlDeclaringAnExternalEntityIsRefusedWithoutResolvingIt()
    {
        var error = Refused(
            """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><SetUserPresenceStatusRequest><AssociateId>&xxe;</AssociateId></SetUserPresenceStatusRequest>""",
            RequestFormat.Xml);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("DTD", error.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AnXmlBombIsRefused()
    {
        var error = Refused(
            """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><SetUserPresenceStatusRequest><AssociateId>&lol2;</AssociateId></SetUserPresenceStatusRequest>""",
            RequestFormat.Xml);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void XmlMixingTextAndElementsIs400()
    {
        Assert.Equal(400, Refused("<SetUserPresenceStatusRequest>text<AssociateId>1</AssociateId></SetUserPresenceStatusRequest>", RequestFormat.Xml).StatusCode);
    }

    [Fact]
    public void FormFieldsUseDotsForNestedProperties()
    {
        AssertSetRequest(Parse("AssociateId=259&UserPresenceStatus.Status=StatusNotAvailable&UserPresenceStatus.Message=Lunch", RequestFormat.Form));
    }

    [Fact]
    public void FormValuesArePercentDecodedAndNamesCaseInsensitive()
    {
        var request = PresenceRequestBinder.BindSet(Parse("associateid=259&userpresencestatus.status=2&userpresencestatus.message=Out+to+lunch%21", RequestFormat.Form));
        Assert.Equal("Out to lunch!", request.Carrier!.Message);
    }

    [Fact]
    public void AFormFieldGivenTwiceIs400()
    {
        var error = Refused("AssociateId=1&AssociateId=2", RequestFormat.Form);
        Assert.Equal("AssociateId", error.ErrorSource);
    }

    [Fact]
    public void ConflictingFormPathsAre400()
    {
        Assert.Equal(400, Refused("UserPresenceStatus=x&UserPresenceStatus.Status=1", RequestFormat.Form).StatusCode);
    }

    [Fact]
    public void FormFieldsInJQuerysBracketStyleBindLikeDottedOnes()
    {
        AssertSetRequest(Parse("AssociateId=259&UserPresenceStatus%5BStatus%5D=StatusNotAvailable&UserPresenceStatus[Message]=Lunch", RequestFormat.Form));
    }

    [Fact]
    public void BracketAndDottedFieldsForDifferentPathsOfOneCarrierCombine()
    {
        AssertSetRequest(Parse("AssociateId=259&UserPresenceStatus[Status]=2&UserPresenceStatus.Message=Lunch", RequestFormat.Form));
    }

    [Theory]
    [InlineData("AssociateId=259&UserPresenceStatus[Status]=1&UserPresenceStatus.Status=1")]
    [InlineData("AssociateId=259&UserPresenceStatus.Status=1&userpresencestatus[status]=2")]
    public void ABracketAndADottedFieldForTheSamePathAre400(string body)
    {
        var error = Refused(body, RequestFormat.Form);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("conflicts", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UserPresenceStatus[Status=1")]
    [InlineData("UserPresenceStatus[]=1")]
    [InlineData("UserPresenceStatus]Status[=1")]
    [InlineData("UserPresenceStatus[Status]x=1")]
    [InlineData("[Status]=1")]
    [InlineData("UserPresenceStatus.=1")]
    [InlineData("UserPresenceStatus[[Status]]=1")]
    public void FormFieldNamesThatAreNoPropertyPathAre400(string body)
    {
        Assert.Equal("A form field name is not a property path.", Refused(body, RequestFormat.Form).ErrorMessage);
    }

    [Fact]
    public void AFormOfMoreFieldsThanAnyRequestNeedsIs400BeforeTheRestIsRead()
    {
        var fields = string.Join("&", Enumerable.Range(0, FormRequestReader.MaxFields + 1).Select(i => $"a{i}=1"));
        var error = Refused(fields, RequestFormat.Form);
        Assert.Equal("Body", error.ErrorSource);
        Assert.Contains($"more than {FormRequestReader.MaxFields} fields", error.ErrorMessage, StringComparison.Ordinal);

        // Exactly the maximum still reads.
        var most = "AssociateId=259&" + string.Join("&", Enumerable.Range(0, FormRequestReader.MaxFields - 1).Select(i => $"a{i}=1"));
        Assert.Equal("259", Parse(most, RequestFormat.Form)["AssociateId"]!.GetValue<string>());
    }

    [Fact]
    public void MergePatchIsAppliedToAnEmptyRequest()
    {
        AssertSetRequest(Parse(SetJson, RequestFormat.MergePatch));
    }

    [Fact]
    public void MergePatchNullRemovesTheMember()
    {
        var document = Parse("""{"AssociateId": 259, "UserPresenceStatus": null}""", RequestFormat.MergePatch);
        Assert.False(document.ContainsKey("UserPresenceStatus"));
        Assert.Null(PresenceRequestBinder.BindSet(document).Carrier);
    }

    [Fact]
    public void JsonPatchOperationsAreAppliedToAnEmptyRequest()
    {
        AssertSetRequest(Parse(
            """
            [
              {"op": "add", "path": "/AssociateId", "value": 1},
              {"op": "replace", "path": "/AssociateId", "value": 259},
              {"op": "add", "path": "/UserPresenceStatus", "value": {"Status": "StatusNormal"}},
              {"op": "replace", "path": "/UserPresenceStatus/Status", "value": "StatusNotAvailable"},
              {"op": "add", "path": "/UserPresenceStatus/Message", "value": "Lunch"},
              {"op": "test", "path": "/AssociateId", "value": 259}
            ]
            """,
            RequestFormat.JsonPatch));
    }

    [Theory]
    [InlineData("""{"op": "add"}""")]
    [InlineData("""[{"op": "explode", "path": "/AssociateId", "value": 1}]""")]
    [InlineData("""[{"op": "replace", "path": "/UserPresenceStatus/Status", "value": "StatusNormal"}]""")]
    [InlineData("""[{"op": "add", "path": "/AssociateId", "value": 1}, {"op": "test", "path": "/AssociateId", "value": 2}]""")]
    [InlineData("[")]
    public void InvalidOrFailingJsonPatchesAre400(string body)
    {
        Assert.Equal(400, Refused(body, RequestFormat.JsonPatch).StatusCode);
    }
}
