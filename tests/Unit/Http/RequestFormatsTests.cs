using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class RequestFormatsTests
{
    [Theory]
    [InlineData("application/json", RequestFormat.Json)]
    [InlineData("application/json; charset=utf-8", RequestFormat.Json)]
    [InlineData("APPLICATION/JSON; charset=UTF-8", RequestFormat.Json)]
    [InlineData("text/json", RequestFormat.Json)]
    [InlineData("application/xml", RequestFormat.Xml)]
    [InlineData("text/xml; charset=utf-8", RequestFormat.Xml)]
    [InlineData("application/x-www-form-urlencoded", RequestFormat.Form)]
    [InlineData("application/merge-patch+json", RequestFormat.MergePatch)]
    [InlineData("application/json-patch+json", RequestFormat.JsonPatch)]
    public void EveryPublishedContentTypeHasAParser(string contentType, RequestFormat expected)
    {
        Assert.Equal(expected, RequestFormats.FromContentType(contentType));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/yaml")]
    [InlineData("not a media type")]
    [InlineData("application/json; charset=utf-16")]
    public void OtherContentTypesAre415(string? contentType)
    {
        var error = Assert.Throws<ApiException>(() => RequestFormats.FromContentType(contentType)).Error;
        Assert.Equal(415, error.StatusCode);
        Assert.Equal("UnsupportedMediaType", error.ErrorType);
    }

    [Theory]
    [InlineData("TEXT/JSON")]
    [InlineData("Application/Xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("APPLICATION/MERGE-PATCH+JSON")]
    [InlineData("application/json-patch+json")]
    public void AnExactContentTypeMapsAsTheSameTypeWithACharset(string contentType)
    {
        Assert.Equal(RequestFormats.FromContentType(contentType + "; charset=utf-8"), RequestFormats.FromContentType(contentType));
    }
}
