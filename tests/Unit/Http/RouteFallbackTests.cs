using System.Text;
using Microsoft.AspNetCore.Http;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class RouteFallbackTests
{
    private static PayloadResult Answer(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        return Assert.IsType<PayloadResult>(RouteFallback.Answer(context.Request));
    }

    [Fact]
    public void AnUnknownPathIs404WithTheErrorBody()
    {
        var result = Answer("GET", "/api/v1/Nothing/Here");
        Assert.Equal(404, result.StatusCode);
        Assert.Contains("\"ErrorType\":\"NotFound\"", Encoding.UTF8.GetString(result.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void AKnownPathWithAnotherMethodIs405WithAllow()
    {
        var result = Answer("DELETE", "/api/v1/user/259/userpresencestatus");
        Assert.Equal(405, result.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Allow", "GET, PUT"), result.Headers);

        Assert.Equal(405, Answer("GET", "/api/v1/Agents/User/SetUserPresenceStatus").StatusCode);
    }
}
