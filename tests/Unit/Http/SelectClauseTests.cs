using System.Text.Json.Nodes;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class SelectClauseTests
{
    private static JsonObject Carrier() => new() { ["Status"] = "StatusNotAvailable", ["Message"] = "Lunch" };

    private static string Apply(string? select, JsonObject body)
    {
        SelectClause.Parse(select).Apply(body);
        return body.ToJsonString();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void NoSelectKeepsEverything(string? select)
    {
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Lunch"}""", Apply(select, Carrier()));
    }

    [Theory]
    [InlineData("Status")]
    [InlineData("status")]
    [InlineData(" STATUS ")]
    public void NamesMatchInAnyCaseAndUnselectedPropertiesStayAsNull(string select)
    {
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":null}""", Apply(select, Carrier()));
    }

    [Fact]
    public void SeveralNamesAreCommaSeparated()
    {
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Lunch"}""", Apply("message,status", Carrier()));
    }

    [Fact]
    public void UnknownNamesSelectNothing()
    {
        Assert.Equal("""{"Status":null,"Message":null}""", Apply("name,department,category/id", Carrier()));
    }

    [Fact]
    public void SlashSelectsInsideNestedObjects()
    {
        var body = new JsonObject
        {
            ["AssociateId"] = 259,
            ["UserPresenceStatus"] = Carrier(),
        };
        Assert.Equal(
            """{"AssociateId":null,"UserPresenceStatus":{"Status":null,"Message":"Lunch"}}""",
            Apply("userpresencestatus/MESSAGE", body));
    }

    [Fact]
    public void SelectingAnObjectKeepsItWhole()
    {
        var body = new JsonObject { ["AssociateId"] = 259, ["UserPresenceStatus"] = Carrier() };
        Assert.Equal(
            """{"AssociateId":null,"UserPresenceStatus":{"Status":"StatusNotAvailable","Message":"Lunch"}}""",
            Apply("UserPresenceStatus", body));
    }

    [Fact]
    public void APathIntoAScalarSelectsNothing()
    {
        Assert.Equal("""{"Status":null,"Message":null}""", Apply("Status/Name", Carrier()));
    }

    [Fact]
    public void RepeatedSelectParametersCombine()
    {
        var body = Carrier();
        SelectClause.Parse(new Microsoft.Extensions.Primitives.StringValues(["Status", "Message"])).Apply(body);
        Assert.Equal("""{"Status":"StatusNotAvailable","Message":"Lunch"}""", body.ToJsonString());
    }

    [Fact]
    public void ANestedPathSelectsThatPropertyOfEveryItemOfAList()
    {
        var body = new JsonObject
        {
            ["Name"] = "Support",
            ["Members"] = new JsonArray(new JsonObject { ["AssociateId"] = 2, ["Weight"] = 1 }, new JsonObject { ["AssociateId"] = 3, ["Weight"] = 2 }),
        };
        Assert.Equal("""{"Name":null,"Members":[{"AssociateId":2,"Weight":null},{"AssociateId":3,"Weight":null}]}""", Apply("Members/AssociateId", body));
    }

    [Fact]
    public void ApplyingToItemsSelectsInEachItemAndLeavesTheListItself()
    {
        var items = new JsonArray(new JsonObject { ["TicketId"] = 1, ["OwnerId"] = 2 }, new JsonObject { ["TicketId"] = 3, ["OwnerId"] = 4 });
        SelectClause.Parse("ticketid").ApplyToItems(items);
        Assert.Equal("""[{"TicketId":1,"OwnerId":null},{"TicketId":3,"OwnerId":null}]""", items.ToJsonString());
    }
}
