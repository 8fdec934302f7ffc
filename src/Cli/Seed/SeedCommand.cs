using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Cli.Output;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Seed;

/// <summary><c>presence seed FILE</c>: categories, members, tickets and presences, written as given (no rebalancing, no events).</summary>
public static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A JSON seed file, such as samples/tickets.json." };
        var json = new Option<bool>("--json") { Description = "The summary as {categories, tickets, presences}: how many of each were written." };
        var command = new Command("seed", "Write categories, members, tickets and presences as given; nothing is rebalanced.") { file, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;

            // Relative to the context's folder (the current directory for `presence`), not the process's.
            var path = new FileInfo(context.ResolvePath(result.GetValue(file)!.ToString()));
            if (!path.Exists)
            {
                await error.WriteLineAsync($"No such file: {path.FullName}. Give the path of a seed file, such as samples/tickets.json.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            SeedData data;
            try
            {
                data = SeedData.Parse(await File.ReadAllTextAsync(path.FullName, cancellationToken).ConfigureAwait(false));
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"{e.Message} Nothing was written.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"Cannot read {path.FullName}: {e.Message} Nothing was written.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            return await VerbServices.RunAsync(context, result, async (services, output) =>
            {
                await data.WriteAsync(services.GetRequiredService<TicketStore>(), services.GetRequiredService<PresenceStore>(), cancellationToken).ConfigureAwait(false);
                if (result.GetValue(json))
                {
                    CliJson.Write(output, new { categories = data.Categories.Count, tickets = data.Tickets.Count, presences = data.Presence.Count });
                }
                else
                {
                    output.WriteLine($"Seeded {Quantity.Of(data.Categories.Count, "category", "categories")}, {Quantity.Of(data.Tickets.Count, "ticket")} and {Quantity.Of(data.Presence.Count, "presence")}.");
                }

                return ExitCodes.Success;
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
