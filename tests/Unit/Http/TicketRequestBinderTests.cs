using System.Text;
using System.Text.Json.Nodes;
using PresenceFunctions.Http;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class TicketRequestBinderTests
{
    private static JsonObject Json(string json) => RequestDocument.Parse(Encoding.UTF8.GetBytes(json), RequestFormat.Json, RequestShape.TicketCategory);

    private static ApiError Refused(Action bind) => Assert.Throws<ApiException>(bind).Error;

    [Fact]
    public void ACategoryTakesItsDefaultsFromSuperOffice()
    {
        var settings = TicketRequestBinder.BindCategory(Json("""{"name":"Support","method":"fewestopen","Members":[{"AssociateId":2},{"associateId":"3","weight":2}]}"""), 10);

        Assert.Equal(new CategorySettings(10, "Support", AssignmentMethod.FewestOpen, 0, false, true, true, settings.Members), settings);
        Assert.Equal([new CategoryMember(2, 1), new CategoryMember(3, 2)], settings.Members);
    }

    [Theory]
    [InlineData("""{"Method":"Even"}""", "Name")]
    [InlineData("""{"Name":"  ","Method":"Even"}""", "Name")]
    [InlineData("""{"Name":"S"}""", "Method")]
    [InlineData("""{"Name":"S","Method":"Random"}""", "Method")]
    [InlineData("""{"Name":"S","Method":"1"}""", "Method")]
    [InlineData("""{"Name":"S","Method":1}""", "Method")]
    [InlineData("""{"Name":"S","Method":"Even","AdminId":-1}""", "AdminId")]
    [InlineData("""{"Name":"S","Method":"Even","FallbackToAdmin":true}""", "AdminId")]
    [InlineData("""{"Name":"S","Method":"Even","FallbackToAdmin":"yes"}""", "FallbackToAdmin")]
    [InlineData("""{"Name":"S","Method":"Even","Id":11}""", "Id")]
    [InlineData("""{"Name":"S","Method":"Even","Colour":"red"}""", "Colour")]
    [InlineData("""{"Name":"S","Method":"Even","BacklogCount":0}""", "BacklogCount")]
    [InlineData("""{"Name":"S","Method":"Even","Members":{"AssociateId":2}}""", "Members")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[2]}""", "Members[0]")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[{"Weight":2}]}""", "Members[0].AssociateId")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[{"AssociateId":0}]}""", "Members[0].AssociateId")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[{"AssociateId":2,"Weight":0}]}""", "Members[0].Weight")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[{"AssociateId":2,"Weight":1001}]}""", "Members[0].Weight")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[{"AssociateId":2},{"AssociateId":2}]}""", "Members[1].AssociateId")]
    [InlineData("""{"Name":"S","Method":"Even","Members":[{"AssociateId":2,"Present":true}]}""", "Members[0].Present")]
    public void ABadCategoryIsRefusedNamingTheField(string json, string field)
    {
        var error = Refused(() => TicketRequestBinder.BindCategory(Json(json), 10));
        Assert.Equal((400, field), (error.StatusCode, error.ErrorSource));
    }

    [Fact]
    public void AThousandMembersFitTheCategorysBudgetAndOneMoreIsRefused()
    {
        static string Body(int members) => """{"Name":"S","Method":"Even","Members":[""" + string.Join(",", Enumerable.Range(1, members).Select(i => $$"""{"AssociateId":{{i}},"Weight":1000}""")) + "]}";

        Assert.True(Encoding.UTF8.GetByteCount(Body(1000)) < RequestShape.CategoryMaxBytes);
        Assert.Equal(1000, TicketRequestBinder.BindCategory(Json(Body(1000)), 10).Members.Count);
        Assert.Equal("Members", Refused(() => TicketRequestBinder.BindCategory(Json(Body(1001)), 10)).ErrorSource);
        Assert.Equal("Body", Refused(() => Json(Body(1400))).ErrorSource); // past the token budget: refused before a node is built
    }

    [Fact]
    public void ATicketChangeKeepsWhatItDoesNotNameAndReadsTextFromXmlAndForms()
    {
        Assert.Equal(new TicketChange(5, 10, null, null), TicketRequestBinder.BindTicket(Json("""{"CategoryId":10,"OwnerId":null}"""), 5));
        var xml = RequestDocument.Parse("<Ticket><OwnerId>0</OwnerId><State>closed</State></Ticket>"u8, RequestFormat.Xml, RequestShape.Ticket);
        Assert.Equal(new TicketChange(5, null, 0, TicketState.Closed), TicketRequestBinder.BindTicket(xml, 5));
        var form = RequestDocument.Parse("CategoryId=7&TicketId=5"u8, RequestFormat.Form, RequestShape.Ticket);
        Assert.Equal(new TicketChange(5, 7, null, null), TicketRequestBinder.BindTicket(form, 5));
    }

    [Theory]
    [InlineData("""{}""", "Body")]
    [InlineData("""{"State":null}""", "Body")]
    [InlineData("""{"CategoryId":0}""", "CategoryId")]
    [InlineData("""{"CategoryId":-3}""", "CategoryId")]
    [InlineData("""{"CategoryId":1.5}""", "CategoryId")]
    [InlineData("""{"CategoryId":"ten"}""", "CategoryId")]
    [InlineData("""{"OwnerId":-1}""", "OwnerId")]
    [InlineData("""{"State":"Pending"}""", "State")]
    [InlineData("""{"State":0}""", "State")]
    [InlineData("""{"TicketId":6,"State":"Open"}""", "TicketId")]
    [InlineData("""{"Owner":2}""", "Owner")]
    public void ABadTicketChangeIsRefusedNamingTheField(string json, string field)
    {
        var error = Refused(() => TicketRequestBinder.BindTicket(Json(json), 5));
        Assert.Equal((400, field), (error.StatusCode, error.ErrorSource));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("x")]
    [InlineData("2147483648")]
    public void ARouteIdMustBeAPositiveInteger(string? value)
    {
        Assert.Equal("ticketId", Refused(() => TicketRequestBinder.ParseRouteId(value, "ticketId")).ErrorSource);
    }
}
