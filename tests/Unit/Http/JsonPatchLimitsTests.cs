using System.Text;
using System.Text.Json.Nodes;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

/// <summary>JSON Patch is limited to add/replace/remove/test on the contract's paths, at most 16 operations (issue 10).</summary>
public sealed class JsonPatchLimitsTests
{
    private static JsonObject Parse(string body, RequestShape shape) =>
        RequestDocument.Parse(Encoding.UTF8.GetBytes(body), RequestFormat.JsonPatch, shape);

    private static ApiError Refused(string body, RequestShape? shape = null) =>
        Assert.Throws<ApiException>(() => Parse(body, shape ?? RequestShape.SetRequest)).Error;

    [Theory]
    [InlineData("copy")]
    [InlineData("move")]
    [InlineData("COPY")]
    [InlineData("explode")]
    public void OperationsOtherThanAddReplaceRemoveAndTestAre400NamingTheOperation(string op)
    {
        var error = Refused($$"""[{"op":"add","path":"/AssociateId","value":259},{"op":"{{op}}","from":"/AssociateId","path":"/UserPresenceStatus"}]""");

        Assert.Equal(400, error.StatusCode);
        Assert.Contains($"operation 2 ({op})", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Foo")]
    [InlineData("/AssociateId/-")]
    [InlineData("/UserPresenceStatus/Status/x")]
    [InlineData("/UserPresenceStatus/Other")]
    [InlineData("/Status")]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("AssociateId")]
    public void PathsOutsideTheAgentContractAre400NamingTheOperation(string path)
    {
        var error = Refused($$"""[{"op":"add","path":"{{path}}","value":1}]""");

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("operation 1 (add)", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/AssociateId")]
    [InlineData("/UserPresenceStatus")]
    [InlineData("/UserPresenceStatus/Status")]
    public void PathsOutsideTheCarrierContractAre400(string path)
    {
        var error = Refused($$"""[{"op":"add","path":"{{path}}","value":"StatusNormal"}]""", RequestShape.Carrier);

        Assert.Contains("operation 1 (add)", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ContractPathsMatchCaseInsensitively()
    {
        var document = Parse(
            """
            [
              {"op":"add","path":"/associateid","value":259},
              {"op":"add","path":"/USERPRESENCESTATUS","value":{}},
              {"op":"add","path":"/userPresenceStatus/status","value":"StatusNotAvailable"},
              {"op":"add","path":"/UserPresenceStatus/MESSAGE","value":"Lunch"},
              {"op":"test","path":"/AssociateID","value":259}
            ]
            """,
            RequestShape.SetRequest);

        var request = PresenceRequestBinder.BindSet(document);
        Assert.Equal(259, request.AssociateId);
        Assert.Equal("Lunch", request.Carrier!.Message);
    }

    [Fact]
    public void SixteenOperationsAreAcceptedAndSeventeenAre400()
    {
        static string Patch(int count) =>
            "[" + string.Join(",", Enumerable.Range(1, count).Select(i => $$"""{"op":"add","path":"/AssociateId","value":{{i}}}""")) + "]";

        Assert.Equal(16, PresenceRequestBinder.BindGet(Parse(Patch(16), RequestShape.GetRequest)));
        var error = Refused(Patch(17), RequestShape.GetRequest);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("16", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ACopyChainIsRefusedBeforeAnythingIsApplied()
    {
        Refused(CopyChain.Body);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var error = Refused(CopyChain.Body);

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Contains("operation 2 (copy)", error.ErrorMessage, StringComparison.Ordinal);
        Assert.True(started.ElapsedMilliseconds < 100, $"took {started.ElapsedMilliseconds} ms");
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ARemovedMessageReadsAsNull()
    {
        var document = Parse("""[{"op":"add","path":"/Message","value":"x"},{"op":"remove","path":"/message"},{"op":"add","path":"/Status","value":"StatusNormal"}]""", RequestShape.Carrier);

        Assert.Null(PresenceRequestBinder.BindCarrier(document).Message);
    }
}

/// <summary>One add and 19 copies, each doubling the document: about 1.8 KB that would grow to gigabytes if applied.</summary>
public static class CopyChain
{
    public static readonly string Body =
        "[" + $$"""{"op":"add","path":"/AssociateId","value":["{{new string('x', 700)}}"]}"""
        + string.Concat(Enumerable.Repeat(""",{"op":"copy","from":"/AssociateId","path":"/AssociateId/-"}""", 19))
        + "]";
}
