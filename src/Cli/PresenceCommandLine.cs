using System.CommandLine;
using System.CommandLine.Parsing;
using PresenceFunctions.Cli.Bench;
using PresenceFunctions.Cli.Credentials;
using PresenceFunctions.Cli.Output;
using PresenceFunctions.Cli.Seed;
using PresenceFunctions.Cli.Serve;
using PresenceFunctions.Cli.Tickets;

namespace PresenceFunctions.Cli;

/// <summary>The <c>presence</c> command tree; the tests build the same one and run it in-process.</summary>
public static class PresenceCommandLine
{
    /// <summary>Framework and library logs (ASP.NET Core, the Azure SDK, the store's own) on standard error; without it the verbs print only their answer.</summary>
    public const string VerboseOption = "--verbose";

    public static RootCommand Create(CliContext? context = null)
    {
        context ??= CliContext.Default;
        return new RootCommand("presence: run and operate the SuperOffice presence API locally.")
        {
            new Option<bool>(VerboseOption) { Description = "Also print framework and library log lines (on standard error).", Recursive = true },
            ServeCommand.Create(),
            CredentialsCommand.Create(context),
            SeedCommand.Create(context),
            TicketsCommand.Create(context),
            BenchCommand.Create(),
        };
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/> as the <c>presence</c> executable does. A command line that does not
    /// parse gets one line per error on standard error, naming the help to read, and exit code 2; no help dump.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliContext? context = null, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        var result = Create(context).Parse(args);
        if (result.Errors.Count > 0)
        {
            var usage = $"presence {CommandPath(result.CommandResult)}--help";
            foreach (var error in result.Errors)
            {
                await configuration.Error.WriteLineAsync($"{Redacted(error.Message, args)} See `{usage}`.").ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }

        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"credentials issue-ticket " for that subcommand; "" for the root.</summary>
    private static string CommandPath(CommandResult? command)
    {
        var names = new List<string>();
        for (; command is { Command: not RootCommand }; command = command.Parent as CommandResult)
        {
            names.Insert(0, command.Command.Name + " ");
        }

        return string.Concat(names);
    }

    /// <summary>Whether <c>--verbose</c> was given, anywhere on the line.</summary>
    public static bool IsVerbose(ParseResult result) => result?.GetValue<bool>(VerboseOption) ?? false;

    /// <summary>
    /// A mistyped password option (<c>--pasword S3cret</c>) makes its value an unrecognized argument, which the error
    /// would echo: any value following an option that starts like "--pass" is shown as "…" instead.
    /// </summary>
    private static string Redacted(string message, string[] args)
    {
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i - 1].StartsWith("--pas", StringComparison.OrdinalIgnoreCase) && args[i].Length > 0)
            {
                message = message.Replace($"'{args[i]}'", "'…'", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
