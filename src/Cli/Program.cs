using System.CommandLine;
using PresenceFunctions.Cli.Bench;
using PresenceFunctions.Cli.Credentials;
using PresenceFunctions.Cli.Seed;
using PresenceFunctions.Cli.Serve;
using PresenceFunctions.Cli.Tickets;

var root = new RootCommand("presence: run and operate the SuperOffice presence API locally.")
{
    ServeCommand.Create(),
    CredentialsCommand.Create(),
    SeedCommand.Create(),
    TicketsCommand.Create(),
    BenchCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
