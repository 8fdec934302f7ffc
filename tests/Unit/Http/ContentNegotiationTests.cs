using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class ContentNegotiationTests
{
    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("text/json", "text/json")]
    [InlineData("application/xml", "application/xml")]
    [InlineData("text/xml", "text/xml")]
    [InlineData("application/json-patch+json", "application/json-patch+json")]
    [InlineData("application/merge-patch+json", "application/merge-patch+json")]
    [InlineData("application/xml;q=0.9, application/json;q=0.8", "application/xml")]
    [InlineData("application/json;q=0.5, text/xml", "text/xml")]
    [InlineData("application/xml, application/json", "application/xml")]
    [InlineData("application/json, application/xml", "application/json")]
    [InlineData("*/*;q=0.1, application/xml", "application/xml")]
    [InlineData("text/*", "text/json")]
    [InlineData("text/*, text/xml", "text/xml")]
    [InlineData("application/*;q=0.2, text/xml;q=0.1", "application/json")]
    [InlineData("application/json;q=0, */*", "text/json")]
    [InlineData("application/json;q=0, application/xml;q=0.3", "application/xml")]
    [InlineData("image/png", "application/json")]
    [InlineData("this is not a header", "application/json")]
    public void TheClientsPreferenceWinsByQualityThenSpecificityThenOrder(string? accept, string expected)
    {
        Assert.Equal(expected, ContentNegotiation.Choose(accept).MediaType);
    }

    [Fact]
    public void XmlTypesAnswerXmlPayloadsAndTheRestJson()
    {
        Assert.Equal(PayloadKind.Xml, ContentNegotiation.Choose("text/xml").Kind);
        Assert.Equal(PayloadKind.Json, ContentNegotiation.Choose("application/merge-patch+json").Kind);
        Assert.Equal("application/xml; charset=utf-8", ContentNegotiation.Choose("application/xml").ContentType);
    }
}
