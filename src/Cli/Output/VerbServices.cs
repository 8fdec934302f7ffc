using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Settings;

namespace PresenceFunctions.Cli.Output;

/// <summary>
/// How an operator verb runs: its services (logging only with <c>--verbose</c>), Azurite started when the settings point
/// at this machine and nothing listens (said on standard error, so standard output stays the answer), and every failure
/// turned into one line on standard error by <see cref="OperatorErrors"/>.
/// </summary>
public static class VerbServices
{
    public static Task<int> RunAsync(CliContext context, ParseResult result, Func<IServiceProvider, TextWriter, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(action);
        return OperatorErrors.RunAsync(result, async () =>
        {
            await using var services = StorageServices.Build(context.Settings, PresenceCommandLine.IsVerbose(result));
            await using var azurite = await LocalStorage.EnsureAsync(services.GetRequiredService<IConfiguration>(), result.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            return await action(services, result.InvocationConfiguration.Output).ConfigureAwait(false);
        });
    }
}
