using Azure.Data.Tables;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PresenceFunctions.Auth;
using PresenceFunctions.Http;
using PresenceFunctions.Presence;
using PresenceFunctions.Storage;

namespace PresenceFunctions;

public static class PresenceServiceCollectionExtensions
{
    /// <summary>Setting holding the Table Storage connection string, or a section with <c>tableServiceUri</c> for a managed identity.</summary>
    public const string StorageSetting = "PresenceStorage";

    /// <summary>Everything the presence service needs, for the function app and <c>presence serve</c> alike.</summary>
    public static IServiceCollection AddPresenceCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(StorageSetting);
        if (storage.Value is null && !storage.GetChildren().Any())
        {
            throw new InvalidOperationException(
                $"Setting {StorageSetting} is missing: a Table Storage connection string (UseDevelopmentStorage=true for Azurite) "
                + $"or {StorageSetting}__tableServiceUri for a managed identity.");
        }

        services.AddAzureClients(clients => clients.AddTableServiceClient(storage).ConfigureOptions(ConfigureTableClient));
        services.AddOptions<TableNames>().Bind(configuration.GetSection(TableNames.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.Bearer.SigningKey is null || IsBase64(o.Bearer.SigningKey), "Auth:Bearer:SigningKey must be base64.")
            .Validate(o => !o.Bearer.IsConfigured || !string.IsNullOrWhiteSpace(o.Bearer.Audience), "Auth:Bearer:Audience is required with Bearer authentication.")
            .ValidateOnStart();
        services.AddHttpClient(BearerAuthenticator.HttpClientName);
        services.TryAddSingleton<IPasswordHasher<UserEntity>, PasswordHasher<UserEntity>>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<BasicAuthenticator>();
        services.AddSingleton<TicketAuthenticator>();
        services.AddSingleton<BearerAuthenticator>();
        services.AddSingleton<AppTokenPolicy>();
        services.TryAddSingleton<IRequestAuthenticator, SuperOfficeAuthenticator>();
        services.AddSingleton<StorageTables>();
        services.AddSingleton<AssociateLocks>();
        services.AddSingleton<PresenceStore>();
        services.AddSingleton<PresenceService>();
        services.AddSingleton<ApiPipeline>();
        services.AddSingleton<PresenceEndpoints>();
        return services;
    }

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    /// <summary>Fail fast when storage is down: a caller waiting through long retries is worse off than one told 503 with Retry-After.</summary>
    private static void ConfigureTableClient(TableClientOptions options)
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }
}
