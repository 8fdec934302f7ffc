using System.Text;
using PresenceFunctions.Http;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Unit.Http;

public sealed class TicketPayloadTests
{
    private static readonly TicketDetails Ticket = new(1001, 10, 2, TicketState.Open, false, 3, "arrival", "request-abc", new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(1)));

    [Fact]
    public void ACategorysMembersAreWrittenAsOneXmlElementEach()
    {
        var category = new CategoryDetails(10, "Support", AssignmentMethod.Weighted, 1, true, true, false, [new MemberDetails(2, 1, true, 4), new MemberDetails(3, 2, false, 0)], 0, 1);
        var payload = TicketPayloads.Category(category);

        var xml = Encoding.UTF8.GetString(PayloadWriter.Write(payload.Body, payload.XmlRoot, PayloadKind.Xml, payload.XmlItems));

        Assert.Contains("<Members><TicketCategoryMember><AssociateId>2</AssociateId><Weight>1</Weight><Present>true</Present><OpenCount>4</OpenCount></TicketCategoryMember><TicketCategoryMember><AssociateId>3</AssociateId>", xml, StringComparison.Ordinal);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><TicketCategory ", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void ATicketIsWrittenWithItsTimeInUtcAndAPageWithItsToken()
    {
        var page = TicketPayloads.Page(new TicketPage([Ticket], null));

        Assert.Equal(
            """{"Tickets":[{"TicketId":1001,"CategoryId":10,"OwnerId":2,"State":"Open","HeldByAdmin":false,"AssignmentVersion":3,"Reason":"arrival","CausedBy":"request-abc","AssignedAt":"2026-11-28T08:30:00.0000000+00:00"}],"ContinuationToken":null}""",
            Encoding.UTF8.GetString(PayloadWriter.Write(page.Body, page.XmlRoot, PayloadKind.Json, page.XmlItems)));
        Assert.Contains("<TicketPage xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><Tickets><Ticket><TicketId>1001</TicketId>", Encoding.UTF8.GetString(PayloadWriter.Write(page.Body, page.XmlRoot, PayloadKind.Xml, page.XmlItems)), StringComparison.Ordinal);
    }
}
