using System.CommandLine;
using Azure;
using Azure.Identity;
using Microsoft.AspNetCore.Connections;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Cli.Output;

/// <summary>
/// Runs an operator verb so that whatever goes wrong is one line on standard error saying what to do, and a
/// non-zero exit code; never a stack trace unless <c>--verbose</c> asks for it.
/// </summary>
public static class OperatorErrors
{
    public static async Task<int> RunAsync(ParseResult result, Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = result.InvocationConfiguration.Error;
            await error.WriteLineAsync(Describe(e)).ConfigureAwait(false);
            if (PresenceCommandLine.IsVerbose(result))
            {
                await error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Failed;
        }
    }

    /// <summary>One line: what failed and what to do about it.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        AzuriteNotInstalledException e => e.Message,
        IOException { InnerException: AddressInUseException } e => $"{e.Message} Stop what listens there, or pass --urls with another port.",
        NodeNotFoundException e => e.Message,
        System.Net.Sockets.SocketException or IOException { InnerException: System.Net.Sockets.SocketException } =>
            $"Cannot listen there ({exception.Message}): pass --urls with an address of this machine and a port you may open.",
        AzuriteStartException e => $"{e.Message} Start it yourself (npx azurite-table) or set PresenceStorage to a storage account.",
        AuthenticationFailedException or CredentialUnavailableException =>
            "No Azure identity could sign in to storage: run `az login`, or set PresenceStorage to a connection string.",
        RequestFailedException { Status: 401 or 403 } =>
            "Storage refused the credentials: check PresenceStorage (or your role on the account when using PresenceStorage__tableServiceUri).",
        _ when StorageFailures.IsUnavailable(exception) =>
            "Storage did not answer: check that Azurite (or the account PresenceStorage names) is running and reachable, then try again.",
        RequestFailedException e => $"Storage refused the request ({e.Status} {e.ErrorCode}): check PresenceStorage and the Tables__ settings.",
        _ => $"presence failed: {exception.Message} Run again with --verbose for the details.",
    };
}
