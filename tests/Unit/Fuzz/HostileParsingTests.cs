using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Fuzz;

/// <summary>
/// Every body parser and the binder behind it, over generated hostile input: the only failure ever is a
/// 4xx ApiException naming no internal detail, and nothing that parses yields a carrier the rules refuse.
/// 2,000 inputs per format, 10,000 per run.
/// </summary>
public sealed class HostileParsingTests
{
    private const int Runs = 2000;

    private static bool ParsesOrRefusesCleanly(string text, RequestFormat format, RequestShape shape)
    {
        try
        {
            var document = RequestDocument.Parse(Encoding.UTF8.GetBytes(text), format, shape);
            if (shape == RequestShape.SetRequest)
            {
                var request = PresenceRequestBinder.BindSet(document);
                return request.AssociateId > 0 && (request.Carrier is null || Allowed(request.Carrier));
            }

            if (shape == RequestShape.GetRequest)
            {
                return PresenceRequestBinder.BindGet(document) > 0;
            }

            return Allowed(PresenceRequestBinder.BindCarrier(document));
        }
        catch (ApiException e)
        {
            return e.Error.StatusCode is >= 400 and < 500
                && !string.IsNullOrEmpty(e.Error.ErrorMessage)
                && !e.Error.ErrorMessage.Contains("Exception", StringComparison.Ordinal)
                && !e.Error.ErrorMessage.Contains(" at ", StringComparison.Ordinal);
        }
    }

    private static bool Allowed(PresenceFunctions.Presence.UserPresenceStatus carrier) =>
        PresenceFunctions.Presence.UserStatusNames.IsPresence(carrier.Status)
        && (carrier.Message is null || (carrier.Message.Length <= PresenceFunctions.Presence.PresenceRules.MaxMessageLength && PresenceFunctions.Presence.PresenceRules.IsWritableText(carrier.Message)));

    private static Property Holds(Gen<string> bodies, RequestFormat format) =>
        Prop.ForAll(
            Arb.From(from body in bodies from shape in Gen.Elements(RequestShape.SetRequest, RequestShape.GetRequest, RequestShape.Carrier) select (body, shape)),
            input => ParsesOrRefusesCleanly(input.body, format, input.shape).Label($"{format} {input.shape.XmlRoot}: {input.body}"));

    [Property(MaxTest = Runs)]
    public Property JsonBodies() => Holds(HostileText.Body(HostileText.JsonSeeds), RequestFormat.Json);

    [Property(MaxTest = Runs)]
    public Property XmlBodies() => Holds(HostileText.Body(HostileText.XmlSeeds), RequestFormat.Xml);

    [Property(MaxTest = Runs)]
    public Property FormBodies() => Holds(HostileText.Body(HostileText.FormSeeds), RequestFormat.Form);

    [Property(MaxTest = Runs)]
    public Property MergePatchBodies() => Holds(HostileText.Body(HostileText.JsonSeeds), RequestFormat.MergePatch);

    [Property(MaxTest = Runs)]
    public Property JsonPatchBodies() => Holds(HostileText.Body(HostileText.JsonSeeds), RequestFormat.JsonPatch);

    [Property(MaxTest = Runs)]
    public Property SelectClausesNeverThrowAndOnlyEverNullProperties() => Prop.ForAll(
        Arb.From(HostileText.Body("status", "Message,STATUS", "UserPresenceStatus/Status", "a/b/c,,/")),
        select =>
        {
            var body = new System.Text.Json.Nodes.JsonObject { ["Status"] = "StatusNormal", ["Message"] = "m" };
            SelectClause.Parse(select).Apply(body);
            return body.Count == 2 && body.All(p => p.Value is null || p.Value.GetValue<string>() is "StatusNormal" or "m");
        });

    [Property(MaxTest = Runs)]
    public Property AcceptHeadersAlwaysChooseASupportedFormat() => Prop.ForAll(
        Arb.From(HostileText.Body("application/xml;q=0.9, application/json", "text/*", "*/*;q=0", "application/json-patch+json; charset=utf-8")),
        accept => ResponseFormat.All.Contains(ContentNegotiation.Choose(accept)));
}
