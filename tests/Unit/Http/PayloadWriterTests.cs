using System.Text;
using System.Text.Json.Nodes;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class PayloadWriterTests
{
    private static string Json(JsonObject body) => Encoding.UTF8.GetString(PayloadWriter.Write(body, "Root", PayloadKind.Json));

    [Fact]
    public void EachJsonResponseHoldsOnlyItsOwnBodyWhenTheThreadWroteOthersBefore()
    {
        var large = new JsonObject { ["Text"] = new string('x', 40_000) };
        var small = new JsonObject { ["Status"] = "StatusNormal", ["Message"] = null };
        var smaller = new JsonObject { ["Error"] = true };

        Assert.Equal(40_011, Json(large).Length);
        Assert.Equal("""{"Status":"StatusNormal","Message":null}""", Json(small));
        Assert.Equal("""{"Error":true}""", Json(smaller));
        Assert.Equal("""{"Status":"StatusNormal","Message":null}""", Json(small));
    }

    [Fact]
    public void AJsonWriteThatFailsHalfwayLeavesNothingForTheNextResponse()
    {
        // Nesting deeper than the writer allows fails after the first property and part of the nesting are written.
        var deep = new JsonObject();
        for (var depth = 0; depth < 1_100; depth++)
        {
            deep = new JsonObject { ["D"] = deep };
        }

        Assert.Throws<InvalidOperationException>(() => Json(new JsonObject { ["A"] = "ok", ["B"] = deep }));
        Assert.Equal("""{"Error":true}""", Json(new JsonObject { ["Error"] = true }));
    }

    [Fact]
    public void AnXmlStringHoldingCharactersXmlCannotCarryIsWrittenWithEachReplaced()
    {
        // Caller text quoted in an error can hold them; XML 1.0 has no way to write U+0007, a lone surrogate or U+FFFE.
        var xml = Encoding.UTF8.GetString(PayloadWriter.Write(new JsonObject { ["ErrorMessage"] = "a\u0007b\uD800c\U0001F600d\uFFFE\te" }, "Error", PayloadKind.Xml));

        Assert.Equal("a\uFFFDb\uFFFDc\U0001F600d\uFFFD\te", System.Xml.Linq.XElement.Parse(xml).Elements().Single().Value);
    }
}
