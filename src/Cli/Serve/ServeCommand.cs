using System.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using PresenceFunctions.Auth;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Cli.Hosting;
using PresenceFunctions.Cli.Output;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Cli.Serve;

/// <summary><c>presence serve</c>: the function app on Kestrel, with Azurite started when nothing listens.</summary>
public static class ServeCommand
{
    /// <summary>The commands serve suggests when the store has no users; a test runs each exactly as printed.</summary>
    public static readonly IReadOnlyList<string> NoUserHints =
    [
        "presence credentials add-user NAME --associate-id N --admin",
        "presence credentials issue-ticket --associate-id N",
    ];

    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => LocalFunctionHost.DefaultUrl,
        };
        var traces = new Option<bool>("--traces")
        {
            Description = "Print each finished span of a request or event, one line each: name, trace id, span id, parent span id, duration.",
        };
        var events = new Option<string?>("--events")
        {
            Description = "Append every event published (presence changes and ticket assignments) to this file, one CloudEvent JSON per line; created when missing.",
        };
        var command = new Command("serve", "Run the presence API locally on Kestrel (no Core Tools needed).") { urls, traces, events };
        command.SetAction((result, cancellationToken) => OperatorErrors.RunAsync(result, () =>
            RunAsync(result.GetValue(urls)!, result.GetValue(traces), result.GetValue(events), PresenceCommandLine.IsVerbose(result), cancellationToken)));
        return command;
    }

    /// <summary>With <c>--verbose</c>, ASP.NET Core's and the Azure SDK's Information lines too; otherwise only their warnings and errors.</summary>
    private static readonly Dictionary<string, string?> VerboseLogs = new()
    {
        ["Logging:LogLevel:Microsoft"] = "Information",
        ["Logging:LogLevel:Azure"] = "Information",
    };

    private static async Task<int> RunAsync(string urls, bool traces, string? eventsPath, bool verbose, CancellationToken cancellationToken)
    {
        EventsFile? events = null;
        if (eventsPath is not null)
        {
            try
            {
                events = EventsFile.Open(eventsPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await Console.Error.WriteLineAsync($"Cannot write events to {eventsPath}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        await using var eventsFile = events;
        await using var app = LocalFunctionHost.Build(verbose ? VerboseLogs : null, configure: builder =>
        {
            builder.WebHost.UseUrls(urls);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            if (traces)
            {
                PrintSpans(builder.Services, Console.Out);
            }

            if (events is not null)
            {
                WriteEvents(builder.Services, events);
            }
        });

        await using var azurite = await LocalStorage.EnsureAsync(app.Configuration, Console.Out, cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await HintWhenNoUsersAsync(app.Services.GetRequiredService<CredentialStore>(), cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [urls];
        foreach (var address in addresses)
        {
            Console.WriteLine($"Presence API listening on {address.TrimEnd('/')}/api/");
        }

        if (events is not null)
        {
            Console.WriteLine($"Events are appended to {events.Path}");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>--traces</c>: every finished span as one line on <paramref name="output"/>.</summary>
    public static IServiceCollection PrintSpans(IServiceCollection services, TextWriter output) =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new ConsoleSpanProcessor(output)));

    /// <summary>
    /// <c>--events</c>: both topics' publishers, as registered now (Service Bus, or serve's in-process ones), also append
    /// what they publish to <paramref name="file"/>. In-process, a presence event is written when the subscription accepts
    /// it, so it always precedes the moves it causes. Call it after every other publisher registration.
    /// </summary>
    public static IServiceCollection WriteEvents(IServiceCollection services, EventsFile file)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(file);
        var presence = services.LastOrDefault(d => d.ServiceType == typeof(IPresenceEventPublisher) && !d.IsKeyedService);
        if (presence?.ImplementationType == typeof(InProcessEventPublisher))
        {
            services.AddSingleton<IAcceptedEvents>(new EventsFilePresencePublisher.Recorder(file));
        }
        else
        {
            services.Decorate<IPresenceEventPublisher>((_, inner) => new EventsFilePresencePublisher(inner, file));
        }

        return services.Decorate<ITicketEventPublisher>((_, inner) => new EventsFileTicketPublisher(inner, file));
    }

    private static async Task HintWhenNoUsersAsync(CredentialStore credentials, CancellationToken cancellationToken)
    {
        try
        {
            if (!await credentials.AnyUserAsync(cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine("No users yet: every request will be 401. Add one with");
                Console.WriteLine("  " + NoUserHints[0]);
                Console.WriteLine("or issue a ticket with");
                Console.WriteLine("  " + NoUserHints[1]);
            }
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e))
        {
            Console.WriteLine("Storage is not reachable yet: requests answer 503 until it is.");
        }
    }
}
