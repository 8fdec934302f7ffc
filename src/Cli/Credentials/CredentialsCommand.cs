using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Hosting;

namespace PresenceFunctions.Cli.Credentials;

/// <summary><c>presence credentials …</c>: users for Basic, tickets for SoTicket, in the store the app reads.</summary>
public static class CredentialsCommand
{
    public static Command Create()
    {
        var command = new Command("credentials", "Manage users (Basic) and tickets (SoTicket and cookie) in the Credentials table.");
        command.Subcommands.Add(AddUser());
        command.Subcommands.Add(RemoveUser());
        command.Subcommands.Add(IssueTicket());
        command.Subcommands.Add(RevokeTicket());
        return command;
    }

    private static Command AddUser()
    {
        var userName = new Argument<string>("USERNAME") { Description = "The user name (case-insensitive)." };
        var associateId = AssociateIdOption();
        var admin = new Option<bool>("--admin") { Description = "Grant the Administrator role: may set anyone's presence." };
        var password = new Option<string?>("--password") { Description = "The password; read from standard input when omitted." };
        var command = new Command("add-user", "Add a user, or replace its password and role.") { userName, associateId, admin, password };
        command.SetAction((result, ct) => WithStoreAsync(async store =>
        {
            var secret = result.GetValue(password) ?? ReadPassword();
            if (string.IsNullOrEmpty(secret))
            {
                await Console.Error.WriteLineAsync("A password is required (--password, or on standard input).").ConfigureAwait(false);
                return 2;
            }

            var name = result.GetValue(userName)!;
            var added = await store.AddOrUpdateUserAsync(name, secret, result.GetValue(associateId), result.GetValue(admin), ct).ConfigureAwait(false);
            Console.WriteLine($"{(added ? "Added" : "Updated")} user {name} (associate {result.GetValue(associateId)}{(result.GetValue(admin) ? ", Administrator" : "")}).");
            return 0;
        }, ct));
        return command;
    }

    private static Command RemoveUser()
    {
        var userName = new Argument<string>("USERNAME");
        var command = new Command("remove-user", "Remove a user. Requests already verified may pass until the Basic cache forgets them (Auth__BasicCacheSeconds).") { userName };
        command.SetAction((result, ct) => WithStoreAsync(async store =>
        {
            var name = result.GetValue(userName)!;
            var removed = await store.RemoveUserAsync(name, ct).ConfigureAwait(false);
            Console.WriteLine(removed ? $"Removed user {name}." : $"No user {name}.");
            return removed ? 0 : 1;
        }, ct));
        return command;
    }

    private static Command IssueTicket()
    {
        var associateId = AssociateIdOption();
        var admin = new Option<bool>("--admin") { Description = "The ticket carries the Administrator role." };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime: 90s, 30m, 8h, 7d.", DefaultValueFactory = _ => "8h" };
        var command = new Command("issue-ticket", "Issue a SoTicket and its XSRF token.") { associateId, admin, ttl };
        command.Validators.Add(result =>
        {
            if (!Durations.TryParse(result.GetValue(ttl), out _))
            {
                result.AddError("--ttl must be a duration such as 90s, 30m, 8h or 7d.");
            }
        });
        command.SetAction((result, ct) => WithStoreAsync(async store =>
        {
            if (!Durations.TryParse(result.GetValue(ttl), out var lifetime))
            {
                return 2;
            }

            var issued = await store.IssueTicketAsync(result.GetValue(associateId), result.GetValue(admin), lifetime, ct).ConfigureAwait(false);
            Console.WriteLine($"Ticket:     {issued.Ticket}");
            Console.WriteLine($"XSRF token: {issued.XsrfToken}");
            Console.WriteLine($"Expires:    {issued.ExpiresAt:u}");
            Console.WriteLine($"Use:        Authorization: SoTicket {issued.Ticket}");
            Console.WriteLine($"   or:      Cookie: SoTicket={issued.Ticket} with X-XSRF-TOKEN: {issued.XsrfToken}");
            return 0;
        }, ct));
        return command;
    }

    private static Command RevokeTicket()
    {
        var ticket = new Argument<string>("TICKET") { Description = "The ticket, 7T:…" };
        var command = new Command("revoke-ticket", "Revoke a ticket at once.") { ticket };
        command.SetAction((result, ct) => WithStoreAsync(async store =>
        {
            var revoked = await store.RevokeTicketAsync(result.GetValue(ticket)!.Trim(), ct).ConfigureAwait(false);
            Console.WriteLine(revoked ? "Revoked." : "No such ticket (unknown, or already revoked).");
            return revoked ? 0 : 1;
        }, ct));
        return command;
    }

    private static Option<int> AssociateIdOption()
    {
        var option = new Option<int>("--associate-id") { Description = "The SuperOffice associate id.", Required = true };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--associate-id must be a positive integer.");
            }
        });
        return option;
    }

    private static async Task<int> WithStoreAsync(Func<CredentialStore, Task<int>> action, CancellationToken cancellationToken)
    {
        await using var app = LocalFunctionHost.Build();
        await using var azurite = await LocalStorage.EnsureAsync(app.Configuration, Console.Out, cancellationToken).ConfigureAwait(false);
        return await action(app.Services.GetRequiredService<CredentialStore>()).ConfigureAwait(false);
    }

    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        Console.Write("Password: ");
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

        Console.WriteLine();
        return password.ToString();
    }
}
