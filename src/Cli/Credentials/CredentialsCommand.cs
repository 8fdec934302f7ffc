using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Output;

namespace PresenceFunctions.Cli.Credentials;

/// <summary><c>presence credentials …</c>: users for Basic, tickets for SoTicket, in the store the app reads.</summary>
public static class CredentialsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("credentials", "Manage users (Basic) and tickets (SoTicket and cookie) in the Credentials table.");
        command.Subcommands.Add(AddUser(context));
        command.Subcommands.Add(RemoveUser(context));
        command.Subcommands.Add(IssueTicket(context));
        command.Subcommands.Add(RevokeTicket(context));
        command.Subcommands.Add(PurgeTickets(context));
        return command;
    }

    private static Command AddUser(CliContext context)
    {
        var userName = new Argument<string>("USERNAME") { Description = "The user name (case-insensitive)." };
        var associateId = AssociateIdOption();
        var admin = new Option<bool>("--admin") { Description = "Grant the Administrator role: may set anyone's presence." };
        var password = new Option<string?>("--password") { Description = "The password; read from standard input when omitted." };
        var command = new Command("add-user", "Add a user, or replace its password and role.") { userName, associateId, admin, password };
        command.SetAction((result, ct) => WithStoreAsync(context, result, async (store, output) =>
        {
            var secret = result.GetValue(password) ?? ReadPassword(context.Input, result.InvocationConfiguration.Error);
            if (string.IsNullOrEmpty(secret))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("A password is required: give --password, or type it (or pipe it) on standard input.").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var name = result.GetValue(userName)!;
            var added = await store.AddOrUpdateUserAsync(name, secret, result.GetValue(associateId), result.GetValue(admin), ct).ConfigureAwait(false);
            output.WriteLine($"{(added ? "Added" : "Updated")} user {name} (associate {result.GetValue(associateId)}{(result.GetValue(admin) ? ", Administrator" : "")}).");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command RemoveUser(CliContext context)
    {
        var userName = new Argument<string>("USERNAME");
        var command = new Command("remove-user", "Remove a user. Requests already verified may pass until the Basic cache forgets them (Auth__BasicCacheSeconds).") { userName };
        command.SetAction((result, ct) => WithStoreAsync(context, result, async (store, output) =>
        {
            var name = result.GetValue(userName)!;
            if (!await store.RemoveUserAsync(name, ct).ConfigureAwait(false))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"No user {name}: nothing removed. Check the name (any case matches).").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            output.WriteLine($"Removed user {name}.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command IssueTicket(CliContext context)
    {
        var associateId = AssociateIdOption();
        var admin = new Option<bool>("--admin") { Description = "The ticket carries the Administrator role." };
        // Parsed by the option itself: a command validator does not see the default, so `--ttl` had to be typed.
        var ttl = new Option<TimeSpan>("--ttl")
        {
            Description = "Lifetime: 90s, 30m, 8h, 7d (at most Auth__MaxTicketLifetime, 30 days unless set).",
            DefaultValueFactory = _ => TimeSpan.FromHours(8),
            CustomParser = result =>
            {
                if (Durations.TryParse(result.Tokens.Count == 1 ? result.Tokens[0].Value : null, out var parsed))
                {
                    return parsed;
                }

                result.AddError("--ttl must be a duration such as 90s, 30m, 8h or 7d.");
                return default;
            },
        };
        var json = new Option<bool>("--json") { Description = "The ticket as {ticket, xsrfToken, expiresAt, associateId, administrator}." };
        var command = new Command("issue-ticket", "Issue a SoTicket and its XSRF token.") { associateId, admin, ttl, json };
        command.SetAction((result, ct) => WithStoreAsync(context, result, async (store, output) =>
        {
            var lifetime = result.GetValue(ttl);
            if (lifetime > store.MaxTicketLifetime)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(CredentialStore.TooLong(lifetime, store.MaxTicketLifetime)).ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var issued = await store.IssueSoTicketAsync(result.GetValue(associateId), result.GetValue(admin), lifetime, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CliJson.Write(output, new { ticket = issued.Ticket, xsrfToken = issued.XsrfToken, expiresAt = issued.ExpiresAt, associateId = result.GetValue(associateId), administrator = result.GetValue(admin) });
                return ExitCodes.Success;
            }

            output.WriteLine($"Ticket:     {issued.Ticket}");
            output.WriteLine($"XSRF token: {issued.XsrfToken}");
            output.WriteLine($"Expires:    {issued.ExpiresAt:u}");
            output.WriteLine($"Use:        Authorization: SoTicket {issued.Ticket}");
            output.WriteLine($"   or:      Cookie: SoTicket={issued.Ticket} with X-XSRF-TOKEN: {issued.XsrfToken}");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command RevokeTicket(CliContext context)
    {
        var ticket = new Argument<string>("TICKET") { Description = "The ticket, 7T:…" };
        var command = new Command("revoke-ticket", "Revoke a ticket at once.") { ticket };
        command.SetAction((result, ct) => WithStoreAsync(context, result, async (store, output) =>
        {
            if (!await store.RevokeSoTicketAsync(result.GetValue(ticket)!.Trim(), ct).ConfigureAwait(false))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync("No such ticket (unknown, expired and purged, or already revoked): nothing to revoke. Check it was copied whole, 7T:… included.").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            output.WriteLine("Revoked.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command PurgeTickets(CliContext context)
    {
        var max = new Option<int>("--max") { Description = "Remove at most this many expired tickets (the rest on the next run).", DefaultValueFactory = _ => ExpiredSoTicketPurge.DefaultMaxRows }
            .AtLeast(1, "--max must be a positive integer.");
        var command = new Command("purge-tickets", "Remove expired tickets now (the PurgeExpiredSoTickets timer does it hourly).") { max };
        command.SetAction((result, ct) => WithServicesAsync(context, result, async (services, output) =>
        {
            var removed = await services.GetRequiredService<ExpiredSoTicketPurge>().PurgeAsync(result.GetValue(max), ct).ConfigureAwait(false);
            output.WriteLine($"Removed {Quantity.Of(removed, "expired ticket")}.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Option<int> AssociateIdOption()
    {
        return new Option<int>("--associate-id") { Description = "The SuperOffice associate id.", Required = true }
            .AtLeast(1, "--associate-id must be a positive integer.");
    }

    private static async Task<int> WithStoreAsync(CliContext context, ParseResult result, Func<CredentialStore, TextWriter, Task<int>> action, CancellationToken cancellationToken) =>
        await WithServicesAsync(context, result, (services, output) => action(services.GetRequiredService<CredentialStore>(), output), cancellationToken).ConfigureAwait(false);

    private static Task<int> WithServicesAsync(CliContext context, ParseResult result, Func<IServiceProvider, TextWriter, Task<int>> action, CancellationToken cancellationToken) =>
        VerbServices.RunAsync(context, result, action, cancellationToken);

    /// <param name="prompt">Standard error: standard output stays the answer.</param>
    private static string? ReadPassword(TextReader? input, TextWriter prompt)
    {
        if (input is not null)
        {
            return input.ReadLine();
        }

        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        prompt.Write("Password: ");
        var password = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
            {
                password.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        prompt.WriteLine();
        return password.ToString();
    }
}
