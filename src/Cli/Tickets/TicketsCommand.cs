using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Cli.Output;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;
using Spectre.Console;

namespace PresenceFunctions.Cli.Tickets;

/// <summary><c>presence tickets</c>: who holds which ticket, as a table for people or JSON for scripts.</summary>
public static class TicketsCommand
{
    public static Command Create(CliContext context)
    {
        var category = new Option<int?>("--category") { Description = "Only this category's tickets." }
            .AtLeast(1, "--category must be a positive integer.");
        var owner = new Option<int?>("--owner") { Description = "Only tickets held by this associate (0: unassigned)." }
            .AtLeast(0, "--owner must be 0 (unassigned) or a positive associate id.");
        var json = new Option<bool>("--json") { Description = "An array sorted by id of {id, categoryId, ownerId, state, heldByAdmin, assignmentVersion, reason}." };
        var command = new Command("tickets", "List tickets and their owners.") { category, owner, json };
        command.SetAction((result, cancellationToken) => VerbServices.RunAsync(context, result, async (services, output) =>
        {
            var tickets = (await services.GetRequiredService<TicketStore>().ListTicketsAsync(result.GetValue(category), cancellationToken).ConfigureAwait(false))
                .Where(t => result.GetValue(owner) is not { } o || t.OwnerId == o)
                .ToList();

            if (result.GetValue(json))
            {
                CliJson.Write(output, tickets.Select(t => new { id = t.TicketId, categoryId = t.CategoryId, ownerId = t.OwnerId, state = t.State.ToString(), heldByAdmin = t.HeldByAdmin, assignmentVersion = t.AssignmentVersion, reason = t.Reason }));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Ticket", "Category", "Owner", "State", "Note", "Reason");
            foreach (var ticket in tickets)
            {
                table.AddRow(
                    ticket.TicketId.ToString(CultureInfo.InvariantCulture),
                    ticket.CategoryId.ToString(CultureInfo.InvariantCulture),
                    ticket.OwnerId == 0 ? "[grey]unassigned[/]" : ticket.OwnerId.ToString(CultureInfo.InvariantCulture),
                    ticket.State == TicketState.Open ? "Open" : "[grey]Closed[/]",
                    ticket.HeldByAdmin ? "admin fallback" : "",
                    Markup.Escape(ticket.Reason ?? ""));
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            console.Write(table);
            console.MarkupLine($"[grey]{Quantity.Of(tickets.Count, "ticket")}[/]");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
