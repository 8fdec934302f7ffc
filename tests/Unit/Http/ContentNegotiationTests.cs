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

    [Theory]
    [InlineData(null, "application/xml", "application/xml")]
    [InlineData(null, "application/xml; charset=utf-8", "application/xml")]
    [InlineData("", " TEXT/XML ;charset=utf-8", "text/xml")]
    [InlineData("*/*", "application/xml", "application/xml")]
    [InlineData("*/*;q=0.8", "text/xml", "text/xml")]
    [InlineData("this is not a header", "application/xml", "application/xml")]
    [InlineData(null, "text/json", "application/json")]
    [InlineData(null, "application/x-www-form-urlencoded", "application/json")]
    [InlineData(null, "application/merge-patch+json", "application/json")]
    [InlineData(null, "application/xmlish", "application/json")]
    [InlineData(null, "not a media type", "application/json")]
    [InlineData(null, null, "application/json")]
    [InlineData("application/json", "application/xml", "application/json")]
    [InlineData("*/*, application/json", "application/xml", "application/json")]
    [InlineData("text/*", "application/xml", "text/json")]
    [InlineData("image/png", "application/xml", "application/json")]
    [InlineData("text/xml", "application/json", "text/xml")]
    public void WithoutAPreferenceInAcceptTheRequestsContentTypeDecides(string? accept, string? contentType, string expected)
    {
        Assert.Equal(expected, ContentNegotiation.Choose(accept, contentType).MediaType);
    }

    [Fact]
    public void WithoutAcceptChoosingFromTheContentTypeAllocatesNothing()
    {
        // On the hot path: most callers send no Accept. Warm up first so that only the call itself is measured.
        ContentNegotiation.Choose(default, "application/xml; charset=utf-8");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var xml = ContentNegotiation.Choose(default, "application/xml; charset=utf-8");
        var json = ContentNegotiation.Choose(default, "application/json");
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(PayloadKind.Xml, xml.Kind);
        Assert.Equal(PayloadKind.Json, json.Kind);
    }

    [Fact]
    public void XmlTypesAnswerXmlPayloadsAndTheRestJson()
    {
        Assert.Equal(PayloadKind.Xml, ContentNegotiation.Choose("text/xml").Kind);
        Assert.Equal(PayloadKind.Json, ContentNegotiation.Choose("application/merge-patch+json").Kind);
        Assert.Equal("application/xml; charset=utf-8", ContentNegotiation.Choose("application/xml").ContentType);
    }

    [Fact]
    public void AnAcceptThatIsExactlyAMediaTypeChoosesWhatTheParsedRangeChooses()
    {
        foreach (var format in ResponseFormat.All)
        {
            // Upper case takes the unparsed path; the quality parameter forces the parse.
            Assert.Same(ContentNegotiation.Choose(format.MediaType + ";q=1", contentType: null), ContentNegotiation.Choose(format.MediaType.ToUpperInvariant(), contentType: null));
        }
    }
}
