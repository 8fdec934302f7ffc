using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PresenceFunctions.Auth;
using PresenceFunctions.Localization;
using PresenceFunctions.Observability;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>The four presence routes. Function classes bind their trigger and call one of these.</summary>
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
        var state = await presence.SetAsync(new Actor(caller.AssociateId, caller.IsAdministrator), associateId, carrier, PresenceTracing.TraceParentOf(request), cancellationToken).ConfigureAwait(false);
        return Answer(request, state);
    }

    /// <summary>The stored carrier, its multi-language message resolved to the language the request asks for.</summary>
    private static ApiPayload Answer(HttpRequest request, PresenceState state) =>
        ApiPayload.Carrier(state.Carrier with { Message = RequestLocale.From(request.Headers).Translate(state.Message) });
}
