using System.CommandLine;
using PresenceFunctions.Cli.Credentials;
using PresenceFunctions.Cli.Serve;

var root = new RootCommand("presence: run and operate the SuperOffice presence API locally.")
{
    ServeCommand.Create(),
    CredentialsCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
