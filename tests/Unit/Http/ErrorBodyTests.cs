using System.Text;
using System.Xml.Linq;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class ErrorBodyTests
{
    private static string Body(PayloadResult result) => Encoding.UTF8.GetString(result.Body.Span);

    [Fact]
    public void ErrorsAreSuperOfficesErrorBodyInJson()
    {
        var result = ApiResponses.Error(ApiError.BadRequest("AssociateId", "AssociateId is required."), ResponseFormat.Json);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("application/json; charset=utf-8", result.ContentType);
        Assert.Equal(
            """{"Error":true,"ErrorType":"BadRequest","ErrorMessage":"AssociateId is required.","ErrorSource":"AssociateId"}""",
            Body(result));
    }

    [Fact]
    public void ErrorsAreSuperOfficesErrorBodyInXml()
    {
        var result = ApiResponses.Error(ApiError.UnsupportedMediaType("Content-Type must be <json> & co."), ContentNegotiation.Choose("text/xml"));
        Assert.Equal(415, result.StatusCode);
        Assert.Equal("text/xml; charset=utf-8", result.ContentType);
        var root = XDocument.Parse(Body(result)).Root!;
        Assert.Equal("ErrorResponse", root.Name.LocalName);
        Assert.Equal("true", root.Element("Error")!.Value);
        Assert.Equal("UnsupportedMediaType", root.Element("ErrorType")!.Value);
        Assert.Equal("Content-Type must be <json> & co.", root.Element("ErrorMessage")!.Value);
        Assert.Equal("Content-Type", root.Element("ErrorSource")!.Value);
    }

    [Fact]
    public void ServiceUnavailableCarriesRetryAfter()
    {
        var result = ApiResponses.Error(ApiError.ServiceUnavailable("Storage is unavailable.", 5), ResponseFormat.Json);
        Assert.Equal(503, result.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "5"), result.Headers);
    }

    [Fact]
    public void CarriersInXmlUseNilForNull()
    {
        var result = ApiResponses.Ok(ApiPayload.Carrier(new UserPresenceStatus(UserStatus.StatusNormal, null)), ContentNegotiation.Choose("application/xml"));
        var root = XDocument.Parse(Body(result)).Root!;
        Assert.Equal("UserPresenceStatus", root.Name.LocalName);
        Assert.Equal("StatusNormal", root.Element("Status")!.Value);
        Assert.Equal("true", root.Element("Message")!.Attribute(XName.Get("nil", "http://www.w3.org/2001/XMLSchema-instance"))!.Value);
    }

    [Fact]
    public void CarriersInJsonKeepNonAsciiTextReadable()
    {
        var result = ApiResponses.Ok(ApiPayload.Carrier(new UserPresenceStatus(UserStatus.StatusNotAvailable, "På ferie \"i\" <Norge>")), ResponseFormat.Json);
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"På ferie \"i\" <Norge>"}""", Body(result));
    }
}
