using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Settings;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Seed;

/// <summary><c>presence seed FILE</c>: categories, members, tickets and presences, written as given (no rebalancing, no events).</summary>
public static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A JSON seed file, such as samples/tickets.json." };
        var command = new Command("seed", "Write categories, members, tickets and presences as given; nothing is rebalanced.") { file };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;

            // Relative to the context's folder (the current directory for `presence`), not the process's.
            var path = new FileInfo(context.ResolvePath(result.GetValue(file)!.ToString()));
            if (!path.Exists)
            {
                await error.WriteLineAsync($"No such file: {path.FullName}").ConfigureAwait(false);
                return 2;
            }

            SeedData data;
            try
            {
                data = SeedData.Parse(await File.ReadAllTextAsync(path.FullName, cancellationToken).ConfigureAwait(false));
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            await using var services = StorageServices.Build(context.Settings);
            await using var azurite = await LocalStorage.EnsureAsync(services.GetRequiredService<IConfiguration>(), output, cancellationToken).ConfigureAwait(false);
            await data.WriteAsync(services.GetRequiredService<TicketStore>(), services.GetRequiredService<PresenceStore>(), cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Seeded {data.Categories.Count} categories, {data.Tickets.Count} tickets and {data.Presence.Count} presences.");
            return 0;
        });
        return command;
    }
}
