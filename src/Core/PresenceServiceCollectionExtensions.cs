using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PresenceFunctions.Auth;
using PresenceFunctions.Concurrency;
using PresenceFunctions.Events;
using PresenceFunctions.Health;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;
using PresenceFunctions.Tickets;

namespace PresenceFunctions;

public static class PresenceServiceCollectionExtensions
{
    /// <summary>Setting holding the Table Storage connection string, or a section with <c>tableServiceUri</c> for a managed identity.</summary>
    public const string StorageSetting = "PresenceStorage";

    /// <summary>Setting holding the Service Bus connection string, or a section with <c>fullyQualifiedNamespace</c>.</summary>
    public const string ServiceBusSetting = "ServiceBusConnection";

    /// <summary>The key under <see cref="StorageSetting"/> holding the Table endpoint for a managed identity.</summary>
    public const string TableServiceUriKey = "tableServiceUri";

    public const string TopicSetting = "PresenceTopic";
    public const string DefaultTopic = "presence-changed";
    public const string SubscriptionSetting = "RebalanceSubscription";
    public const string DefaultSubscription = "rebalance-tickets";
    public const string TicketTopicSetting = "TicketTopic";
    public const string DefaultTicketTopic = "ticket-assignments";

    /// <summary>Everything the presence service needs, for the function app and <c>presence serve</c> alike.</summary>
    public static IServiceCollection AddPresenceCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(StorageSetting);
        if (!IsSet(storage))
        {
            throw new InvalidOperationException(
                $"Setting {StorageSetting} is missing: a Table Storage connection string (UseDevelopmentStorage=true for Azurite) "
                + $"or {StorageSetting}__tableServiceUri for a managed identity.");
        }

        services.AddAzureClients(clients => clients.AddTableServiceClient(TableClientSettings(storage)).ConfigureOptions(ConfigureTableClient));
        services.AddOptions<TableNames>().Bind(configuration.GetSection(TableNames.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.Bearer.SigningKey is null || IsBase64(o.Bearer.SigningKey), "Auth:Bearer:SigningKey must be base64.")
            .Validate(o => !o.Bearer.IsConfigured || !string.IsNullOrWhiteSpace(o.Bearer.Audience), "Auth:Bearer:Audience is required with Bearer authentication.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Bearer.Authority) || string.IsNullOrWhiteSpace(o.Bearer.SigningKey) || !string.IsNullOrWhiteSpace(o.Bearer.Issuer), "Auth:Bearer:Issuer is required with Auth:Bearer:SigningKey.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Bearer.Authority) || !o.Bearer.RequireHttpsMetadata || o.Bearer.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase), "Auth:Bearer:Authority must be https (Auth:Bearer:RequireHttpsMetadata).")
            .Validate(o => o.PasswordIterations >= AuthOptions.MinimumPasswordIterations, $"Auth:PasswordIterations must be at least {AuthOptions.MinimumPasswordIterations}.")
            .Validate(o => o.FailedLoginsPerName > 0 && o.FailedLoginsPerAddress > 0 && o.FailedLoginWindowSeconds > 0 && o.PasswordQueueLimit >= 0, "Auth:FailedLogins* and Auth:FailedLoginWindowSeconds must be positive.")
            .ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<AuthOptions>>((hashing, auth) =>
        {
            // Identity's format V3 is PBKDF2 with HMAC-SHA512; older hashes answer SuccessRehashNeeded and are upgraded.
            hashing.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            hashing.IterationCount = Math.Max(AuthOptions.MinimumPasswordIterations, auth.Value.PasswordIterations);
        });
        services.TryAddSingleton<IPasswordHasher<UserEntity>, PasswordHasher<UserEntity>>();
        services.AddSingleton<CrossSiteRequestGuard>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<ExpiredSoTicketPurge>();
        services.AddOptions<AuthOptions>().Validate(o => o.MaxTicketLifetime > TimeSpan.Zero, "Auth:MaxTicketLifetime must be a positive duration (d.hh:mm:ss).");
        services.AddSingleton<AppTokenPolicy>();
        services.AddSuperOfficeAuthentication();
        services.AddSingleton<StorageTables>();
        services.AddSingleton<ConflictRetry>();
        services.AddSingleton<AssociateLocks>();
        services.AddSingleton<PresenceCache>();
        services.AddSingleton<PresenceStore>();
        services.TryAddSingleton<IPresenceStore>(sp => sp.GetRequiredService<PresenceStore>());
        services.AddSingleton<PresenceService>();
        services.TryAddSingleton<IExpiringPresenceStore>(sp => sp.GetRequiredService<PresenceStore>());
        services.AddSingleton<PresenceExpirySweep>();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section))
            .Validate(o => o.CleanupDelaySeconds >= 0, "Outbox:CleanupDelaySeconds must be 0 or more.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var outbox = sp.GetRequiredService<IOptions<OutboxOptions>>().Value;
            return new SentOutboxRows(Math.Max(1, outbox.CleanupCapacity), outbox.CleanupDelay, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<OutboxPublisher>();
        // Sets and passes hand their events to the queue and answer; the dispatcher publishes them after the answer.
        services.AddSingleton<EventDispatchQueue>();
        services.AddSingleton<IPresenceChangePublisher>(sp => sp.GetRequiredService<EventDispatchQueue>());
        services.AddHostedService<EventDispatcher>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<TicketStore>();
        services.AddSingleton<ITicketStore>(sp => sp.GetRequiredService<TicketStore>());
        services.AddSingleton<TicketEvents>();
        services.AddSingleton<TicketRebalancer>();
        services.AddSingleton<TicketOutboxPublisher>();
        services.AddSingleton<OutboxCleanup>();
        services.AddSingleton<ITicketChangePublisher>(sp => sp.GetRequiredService<EventDispatchQueue>());
        services.AddSingleton<CategoryWriter>();
        services.AddSingleton<TicketService>();
        services.AddSingleton<TicketOutboxRelay>();
        AddEventPublisher(services, configuration);
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<ServiceBusHealthCheck>("serviceBus");
        services.AddSingleton<HealthEndpoint>();
        services.AddSingleton<ApiPipeline>();
        services.AddSingleton<PresenceEndpoints>();
        services.AddSingleton<TicketEndpoints>();
        return services;
    }

    /// <summary>Service Bus when ServiceBusConnection is set (connection string, or fullyQualifiedNamespace with a managed identity).</summary>
    private static void AddEventPublisher(IServiceCollection services, IConfiguration configuration)
    {
        var connection = configuration.GetSection(ServiceBusSetting);
        if (!IsSet(connection))
        {
            services.TryAddSingleton<IPresenceEventPublisher, UnconfiguredEventPublisher>();
            services.TryAddSingleton<ITicketEventPublisher, UnconfiguredTicketEventPublisher>();
            return;
        }

        var topic = EventSetting(configuration, TopicSetting);
        services.AddAzureClients(clients => clients.AddServiceBusClient(connection));
        services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(topic));
        services.TryAddSingleton<IPresenceEventPublisher, ServiceBusEventPublisher>();
        var ticketTopic = EventSetting(configuration, TicketTopicSetting);
        services.TryAddKeyedSingleton(ServiceBusTicketEventPublisher.SenderKey, (sp, _) => sp.GetRequiredService<ServiceBusClient>().CreateSender(ticketTopic));
        services.TryAddSingleton<ITicketEventPublisher, ServiceBusTicketEventPublisher>();
    }

    /// <summary>The topic or subscription name a setting holds, or its default (docs/events.md).</summary>
    public static string EventSetting(IConfiguration configuration, string setting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[setting] ?? setting switch
        {
            TopicSetting => DefaultTopic,
            SubscriptionSetting => DefaultSubscription,
            TicketTopicSetting => DefaultTicketTopic,
            _ => throw new InvalidOperationException($"App setting {setting} is missing."),
        };
    }

    /// <summary>A connection setting counts as set with a value, or with a child (…__fullyQualifiedNamespace); blank counts as unset.</summary>
    public static bool IsSet(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return !string.IsNullOrWhiteSpace(section.Value) || section.GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value));
    }

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    /// <summary>Fail fast when storage is down: a caller waiting through long retries is worse off than one told 503 with Retry-After.</summary>
    /// <summary>
    /// The storage section as the Azure client factory reads it. Azure's identity-based setting names the endpoint
    /// <c>tableServiceUri</c> (the Functions host's convention), but the factory matches TableServiceClient's constructor
    /// parameter <c>endpoint</c>: without this, every function failed its first resolve in Azure.
    /// </summary>
    private static IConfiguration TableClientSettings(IConfigurationSection storage)
    {
        if (storage[TableServiceUriKey] is not { Length: > 0 } uri || !string.IsNullOrEmpty(storage.Value) || storage["endpoint"] is not null)
        {
            return storage;
        }

        return new ConfigurationBuilder()
            .AddConfiguration(storage)
            .AddInMemoryCollection([new KeyValuePair<string, string?>("endpoint", uri)])
            .Build();
    }

    private static void ConfigureTableClient(TableClientOptions options)
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }
}
