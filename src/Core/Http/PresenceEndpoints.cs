using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PresenceFunctions.Auth;
using PresenceFunctions.Localization;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>The presence routes. Function classes bind their trigger and call one of these.</summary>
public sealed class PresenceEndpoints(ApiPipeline pipeline, PresenceService presence)
{
    /// <summary>POST Agents/User/SetUserPresenceStatus.</summary>
    public Task<IActionResult> SetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var body = await AgentRequest.ReadAsync(request, RequestShape.SetRequest, ct).ConfigureAwait(false);
            var set = PresenceRequestBinder.BindSet(body);
            return await SetAsync(request, caller, set.AssociateId, set.Carrier, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>POST Agents/User/GetUserPresenceStatus.</summary>
    public Task<IActionResult> GetAsync(HttpRequest request, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var body = await AgentRequest.ReadAsync(request, RequestShape.GetRequest, ct).ConfigureAwait(false);
            return await GetAsync(request, PresenceRequestBinder.BindGet(body), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>GET User/{associateId}/UserPresenceStatus.</summary>
    public Task<IActionResult> GetByIdAsync(HttpRequest request, string? associateId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, (caller, ct) => GetAsync(request, PresenceRequestBinder.ParseRouteAssociateId(associateId), ct), cancellationToken);

    /// <summary>PUT User/{associateId}/UserPresenceStatus with a bare carrier, or a patch of the stored one.</summary>
    public Task<IActionResult> PutAsync(HttpRequest request, string? associateId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = PresenceRequestBinder.ParseRouteAssociateId(associateId);
            var body = await RequestDocument.ReadAsync(request, RequestShape.Carrier, token => StoredCarrierAsync(id, token), ct).ConfigureAwait(false);
            return await SetAsync(request, caller, id, PresenceRequestBinder.BindCarrier(body), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>GET User/{associateId}/UserPresenceStatus/History: newest first, a page by $top and $skip.</summary>
    public Task<IActionResult> HistoryAsync(HttpRequest request, string? associateId, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var id = PresenceRequestBinder.ParseRouteAssociateId(associateId);
            var (top, skip) = PresenceQueries.HistoryPage(request.Query);
            return PresencePayloads.History(await presence.HistoryAsync(id, top, skip, ct).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>GET UserPresenceStatus?associateIds=1,2,3: many associates' presence in one answer, in the order asked.</summary>
    public Task<IActionResult> GetManyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        pipeline.RunAsync(request, async (caller, ct) =>
        {
            var ids = PresenceQueries.AssociateIds(request.Query);
            var states = await presence.GetManyAsync(ids, ct).ConfigureAwait(false);
            return PresencePayloads.Team(states, RequestLocale.From(request.Headers).Translate);
        }, cancellationToken);

    /// <summary>The stored carrier as a document a patch applies to: the message as stored, untranslated.</summary>
    private async Task<JsonObject> StoredCarrierAsync(int associateId, CancellationToken cancellationToken)
    {
        var state = await presence.GetAsync(associateId, cancellationToken).ConfigureAwait(false);
        return new JsonObject(RequestDocument.NodeOptions)
        {
            ["Status"] = state.Status.ToName(),
            ["Message"] = state.Message,
        };
    }

    private async Task<ApiPayload> GetAsync(HttpRequest request, int associateId, CancellationToken cancellationToken)
    {
        var state = await presence.GetAsync(associateId, cancellationToken).ConfigureAwait(false);
        return Answer(request, state);
    }

    private async Task<ApiPayload> SetAsync(HttpRequest request, Caller caller, int associateId, UserPresenceStatus? carrier, CancellationToken cancellationToken)
    {
        var expiresIn = PresenceQueries.ExpiresIn(request.Query);
        if (expiresIn is not null && carrier is null)
        {
            throw ApiException.BadRequest(PresenceQueries.ExpiresInParameter, $"{PresenceQueries.ExpiresInParameter} needs a UserPresenceStatus to expire.");
        }

        var state = await presence.SetAsync(new Actor(caller.AssociateId, caller.IsAdministrator), associateId, carrier, expiresIn, PresenceTracing.TraceParentOf(request), cancellationToken).ConfigureAwait(false);
        return Answer(request, state);
    }

    /// <summary>The stored carrier, its multi-language message resolved to the language the request asks for; with a pending expiry, its header.</summary>
    private static ApiPayload Answer(HttpRequest request, PresenceState state) =>
        ApiPayload.Carrier(state.Carrier with { Message = RequestLocale.From(request.Headers).Translate(state.Message) }) with
        {
            Headers = PresencePayloads.ExpiryHeaders(state),
        };
}
