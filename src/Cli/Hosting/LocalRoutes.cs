using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Functions.Http;
using PresenceFunctions.Functions.Presence;
using PresenceFunctions.Functions.Tickets;
using PresenceFunctions.Health;
using PresenceFunctions.Http;

namespace PresenceFunctions.Cli.Hosting;

/// <summary>The HTTP functions as ASP.NET Core routes onto the Core methods they call; LocalHostTests holds them to functions.metadata.</summary>
public static class LocalRoutes
{
    public static TApp MapLocalRoutes<TApp>(this TApp app)
        where TApp : IEndpointRouteBuilder
    {
        Map(app, nameof(SetUserPresenceStatus), PresenceRoutes.AgentSet, c => Presence(c).SetAsync(c.Request, c.RequestAborted), "POST");
        Map(app, nameof(GetUserPresenceStatus), PresenceRoutes.AgentGet, c => Presence(c).GetAsync(c.Request, c.RequestAborted), "POST");
        Map(app, nameof(GetUserPresence), PresenceRoutes.User, c => Presence(c).GetByIdAsync(c.Request, AssociateId(c), c.RequestAborted), "GET");
        Map(app, nameof(PutUserPresence), PresenceRoutes.User, c => Presence(c).PutAsync(c.Request, AssociateId(c), c.RequestAborted), "PUT");
        Map(app, nameof(GetUserPresenceHistory), PresenceRoutes.UserHistory, c => Presence(c).HistoryAsync(c.Request, AssociateId(c), c.RequestAborted), "GET");
        Map(app, nameof(GetTeamPresence), PresenceRoutes.Team, c => Presence(c).GetManyAsync(c.Request, c.RequestAborted), "GET");
        Map(app, nameof(PutTicketCategory), TicketRoutes.Category, c => Tickets(c).PutCategoryAsync(c.Request, Route(c, "categoryId"), c.RequestAborted), "PUT");
        Map(app, nameof(GetTicketCategory), TicketRoutes.Category, c => Tickets(c).GetCategoryAsync(c.Request, Route(c, "categoryId"), c.RequestAborted), "GET");
        Map(app, nameof(ListCategoryTickets), TicketRoutes.CategoryTickets, c => Tickets(c).ListCategoryTicketsAsync(c.Request, Route(c, "categoryId"), c.RequestAborted), "GET");
        Map(app, nameof(PutTicket), TicketRoutes.Ticket, c => Tickets(c).PutTicketAsync(c.Request, Route(c, "ticketId"), c.RequestAborted), "PUT");
        Map(app, nameof(GetTicket), TicketRoutes.Ticket, c => Tickets(c).GetTicketAsync(c.Request, Route(c, "ticketId"), c.RequestAborted), "GET");
        Map(app, nameof(PostTicketMessage), TicketRoutes.TicketMessages, c => Tickets(c).AddMessageAsync(c.Request, Route(c, "ticketId"), c.RequestAborted), "POST");
        Map(app, nameof(ListUserTickets), TicketRoutes.UserTickets, c => Tickets(c).ListUserTicketsAsync(c.Request, AssociateId(c), c.RequestAborted), "GET");
        Map(app, nameof(Functions.Http.Health), HealthEndpoint.Route, c => c.RequestServices.GetRequiredService<HealthEndpoint>().CheckAsync(c.Request, c.RequestAborted), "GET");
        Map(app, nameof(OpenApiDescription), OpenApiEndpoint.Route, c => Task.FromResult(OpenApiEndpoint.Answer(c.Request)), "GET");

        // Every method, at the lowest precedence as under the host: what no route above matches gets the error body.
        Map(app, nameof(RouteNotFound), "{*path}", c => Task.FromResult(RouteFallback.Answer(c.Request)), "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
        return app;
    }

    /// <summary>No result of this app reads the action; one shared descriptor spares a Guid and two dictionaries per request.</summary>
    private static readonly ActionDescriptor NoAction = new();

    private static PresenceEndpoints Presence(HttpContext context) => context.RequestServices.GetRequiredService<PresenceEndpoints>();

    private static TicketEndpoints Tickets(HttpContext context) => context.RequestServices.GetRequiredService<TicketEndpoints>();

    /// <summary>Route values bind to the function's string parameter by name, as the worker binds them.</summary>
    private static string? AssociateId(HttpContext context) => Route(context, "associateId");

    private static string? Route(HttpContext context, string name) => context.GetRouteValue(name)?.ToString();

    private static void Map(IEndpointRouteBuilder app, string function, string route, Func<HttpContext, Task<IActionResult>> call, params string[] methods) =>
        app.MapMethods("/" + PresenceRoutes.Prefix + "/" + route, methods, async context =>
        {
            // Core answers with IActionResult for the worker; without MVC, its own results write straight to the response
            // and any other runs against a bare ActionContext.
            var result = await call(context).ConfigureAwait(false);
            await (result is PayloadResult payload
                ? payload.ExecuteAsync(context)
                : result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), NoAction))).ConfigureAwait(false);
        }).WithDisplayName(function);
}
