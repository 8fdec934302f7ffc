using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Settings;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;
using Spectre.Console;

namespace PresenceFunctions.Cli.Tickets;

/// <summary><c>presence tickets</c>: who holds which ticket, as a table for people or JSON for scripts.</summary>
public static class TicketsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var category = new Option<int?>("--category") { Description = "Only this category's tickets." };
        var owner = new Option<int?>("--owner") { Description = "Only tickets held by this associate (0: unassigned)." };
        var json = new Option<bool>("--json") { Description = "An array sorted by id of {id, categoryId, ownerId, state, heldByAdmin, assignmentVersion, reason}." };
        var command = new Command("tickets", "List tickets and their owners.") { category, owner, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            await using var services = StorageServices.Build(context.Settings);
            await using var azurite = await LocalStorage.EnsureAsync(services.GetRequiredService<IConfiguration>(), result.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            var tickets = (await services.GetRequiredService<TicketStore>().ListTicketsAsync(result.GetValue(category), cancellationToken).ConfigureAwait(false))
                .Where(t => result.GetValue(owner) is not { } o || t.OwnerId == o)
                .ToList();

            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(
                    tickets.Select(t => new { id = t.TicketId, categoryId = t.CategoryId, ownerId = t.OwnerId, state = t.State.ToString(), heldByAdmin = t.HeldByAdmin, assignmentVersion = t.AssignmentVersion, reason = t.Reason }),
                    Json));
                return 0;
            }

            var table = new Table().AddColumns("Ticket", "Category", "Owner", "State", "Note", "Reason");
            foreach (var ticket in tickets)
            {
                table.AddRow(
                    ticket.TicketId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ticket.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ticket.OwnerId == 0 ? "[grey]unassigned[/]" : ticket.OwnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ticket.State == TicketState.Open ? "Open" : "[grey]Closed[/]",
                    ticket.HeldByAdmin ? "admin fallback" : "",
                    Markup.Escape(ticket.Reason ?? ""));
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            console.Write(table);
            console.MarkupLine($"[grey]{tickets.Count} tickets[/]");
            return 0;
        });
        return command;
    }
}
