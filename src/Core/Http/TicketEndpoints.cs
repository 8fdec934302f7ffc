using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PresenceFunctions.Auth;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Http;

/// <summary>The ticket routes. Function classes bind their trigger and call one of these; the pipeline is the presence routes'.</summary>
public sealed class TicketEndpoints(ApiPipeline pipeline, TicketService tickets)
{
    public const string CategoryIdField = "categoryId";
    public const string TicketIdField = "ticketId";
    public const string AssociateIdField = "associateId";

    /// <summary>The category body has an array, which the XML and form readers do not build; JSON is what integrations send.</summary>
    private static readonly RequestFormat[] CategoryFormats = [RequestFormat.Json];

    private static readonly RequestFormat[] TicketFormats = [RequestFormat.Json, RequestFormat.Xml, RequestFormat.Form];

    /// <summary>PUT TicketCategories/{categoryId}: the whole category; changing members or method rebalances once.</summary>
    public Task<IActionResult> PutCategoryAsync(HttpRequest request, string? categoryId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(categoryId, CategoryIdField);
            var actor = Writer(caller);
            var body = await ReadAsync(request, RequestShape.TicketCategory, CategoryFormats, ct).ConfigureAwait(false);
            var settings = TicketRequestBinder.BindCategory(body, id);
            var stored = await tickets.PutCategoryAsync(actor, settings, CausedBy(request), PresenceTracing.TraceParentOf(request), ct).ConfigureAwait(false);
            return TicketPayloads.Category(stored);
        }, cancellationToken);

    /// <summary>GET TicketCategories/{categoryId}.</summary>
    public Task<IActionResult> GetCategoryAsync(HttpRequest request, string? categoryId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(categoryId, CategoryIdField);
            return TicketPayloads.Category(await tickets.GetCategoryAsync(id, ct).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>PUT Tickets/{ticketId}: creates, moves, reopens or closes; answers the stored ticket with the owner it was given and why.</summary>
    public Task<IActionResult> PutTicketAsync(HttpRequest request, string? ticketId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(ticketId, TicketIdField);
            var actor = Writer(caller);
            var body = await ReadAsync(request, RequestShape.Ticket, TicketFormats, ct).ConfigureAwait(false);
            var change = TicketRequestBinder.BindTicket(body, id);
            var stored = await tickets.PutTicketAsync(actor, change, CausedBy(request), PresenceTracing.TraceParentOf(request), ct).ConfigureAwait(false);
            return TicketPayloads.Ticket(stored);
        }, cancellationToken);

    /// <summary>GET Tickets/{ticketId}.</summary>
    public Task<IActionResult> GetTicketAsync(HttpRequest request, string? ticketId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(ticketId, TicketIdField);
            return TicketPayloads.Ticket(await tickets.GetTicketAsync(id, ct).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>
    /// POST Tickets/{ticketId}/Messages: a new message arrived. The message itself stays in the helpdesk, so a body
    /// is optional and not interpreted; it is still read within the limit, so an oversized one is 413.
    /// </summary>
    public Task<IActionResult> AddMessageAsync(HttpRequest request, string? ticketId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(ticketId, TicketIdField);
            var actor = Writer(caller);
            _ = await RequestBody.ReadAsync(request, ct).ConfigureAwait(false);
            var stored = await tickets.AddMessageAsync(actor, id, CausedBy(request), PresenceTracing.TraceParentOf(request), ct).ConfigureAwait(false);
            return TicketPayloads.Ticket(stored);
        }, cancellationToken);

    /// <summary>GET TicketCategories/{categoryId}/Tickets?ownerId=&amp;state=, paged.</summary>
    public Task<IActionResult> ListCategoryTicketsAsync(HttpRequest request, string? categoryId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(categoryId, CategoryIdField);
            var query = TicketListQuery.Read(request.Query, withFilters: true);
            var page = await AsQueryParameter(tickets.ListCategoryTicketsAsync(id, query.OwnerId, query.State, query.Top, query.Skip, query.Continuation, ct)).ConfigureAwait(false);
            return TicketPayloads.Page(page);
        }, cancellationToken);

    /// <summary>GET User/{associateId}/Tickets: their open tickets across their categories, paged.</summary>
    public Task<IActionResult> ListUserTicketsAsync(HttpRequest request, string? associateId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = TicketRequestBinder.ParseRouteId(associateId, AssociateIdField);
            var query = TicketListQuery.Read(request.Query, withFilters: false);
            var page = await AsQueryParameter(tickets.ListUserTicketsAsync(id, query.Top, query.Skip, query.Continuation, ct)).ConfigureAwait(false);
            return TicketPayloads.Page(page);
        }, cancellationToken);

    /// <summary>
    /// Writes need the Administrator role. The service checks too; checking before the body is read spares a
    /// caller who may not write the cost of parsing up to 1,000 members.
    /// </summary>
    private static Actor Writer(Caller caller) => caller.IsAdministrator
        ? new Actor(caller.AssociateId, IsAdministrator: true)
        : throw new ForbiddenChangeException("Changing tickets and categories requires the Administrator role.", "Authorization");

    /// <summary>What the service records as the cause of a change: the request's trace, else the host's request id.</summary>
    private static string CausedBy(HttpRequest request) =>
        "request-" + (PresenceTracing.TraceIdOf(PresenceTracing.TraceParentOf(request)) ?? request.HttpContext.TraceIdentifier);

    /// <summary>A token the service refuses is named as the caller sent it: the query parameter <c>$continuation</c>.</summary>
    private static async Task<TicketPage> AsQueryParameter(Task<TicketPage> listing)
    {
        try
        {
            return await listing.ConfigureAwait(false);
        }
        catch (TicketRequestException e) when (e.Field == TicketPaging.ContinuationField)
        {
            throw ApiException.BadRequest(TicketListQuery.ContinuationParameter, e.Message);
        }
    }

    private static async Task<JsonObject> ReadAsync(HttpRequest request, RequestShape shape, IReadOnlyCollection<RequestFormat> accepted, CancellationToken cancellationToken)
    {
        var format = RequestFormats.FromContentType(request.ContentType);
        if (!accepted.Contains(format))
        {
            var types = MediaTypes.Requests.Where(t => accepted.Contains(RequestFormats.FromContentType(t)));
            throw new ApiException(ApiError.UnsupportedMediaType("Content-Type must be one of: " + string.Join(", ", types) + "."));
        }

        var body = await RequestBody.ReadAsync(request, shape.MaxBytes, cancellationToken).ConfigureAwait(false);
        return RequestDocument.Parse(body, format, shape);
    }
}
