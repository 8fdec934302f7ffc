using System.CommandLine;
using PresenceFunctions.Cli.Bench;
using PresenceFunctions.Cli.Credentials;
using PresenceFunctions.Cli.Seed;
using PresenceFunctions.Cli.Serve;
using PresenceFunctions.Cli.Tickets;

namespace PresenceFunctions.Cli;

/// <summary>The <c>presence</c> command tree; the tests build the same one and run it in-process.</summary>
public static class PresenceCommandLine
{
    public static RootCommand Create(CliContext? context = null)
    {
        context ??= CliContext.Default;
        return new RootCommand("presence: run and operate the SuperOffice presence API locally.")
        {
            ServeCommand.Create(),
            CredentialsCommand.Create(context),
            SeedCommand.Create(context),
            TicketsCommand.Create(context),
            BenchCommand.Create(),
        };
    }
}
