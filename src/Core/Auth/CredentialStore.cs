using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Auth;

/// <summary>Users and tickets in the Credentials table. Passwords are stored as PBKDF2 hashes, tickets as SHA-256 hashes.</summary>
public sealed class CredentialStore(StorageTables tables, IPasswordHasher<UserEntity> hasher, TimeProvider time, IOptions<AuthOptions> options)
{
    public const string SoTicketPrefix = "7T:";
    private const string UserPartition = "user";

    /// <summary>The longest lifetime <see cref="IssueSoTicketAsync"/> accepts (<c>Auth__MaxTicketLifetime</c>).</summary>
    public TimeSpan MaxTicketLifetime => options.Value.MaxTicketLifetime;

    public async Task<bool> AddOrUpdateUserAsync(string userName, string password, int associateId, bool isAdministrator, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(associateId);
        var user = new UserEntity
        {
            PartitionKey = UserPartition,
            RowKey = UserRowKey(userName),
            UserName = userName,
            AssociateId = associateId,
            IsAdministrator = isAdministrator,
        };
        user.PasswordHash = hasher.HashPassword(user, password);
        var existed = await FindUserAsync(userName, cancellationToken).ConfigureAwait(false) is not null;
        await RunAsync(table => table.UpsertEntityAsync(user, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
        return !existed;
    }

    /// <summary>
    /// Replaces a user's hash with a stronger one of the same password, only if the row is still the one read
    /// (its ETag): a password changed meanwhile wins. False when the row changed or is gone.
    /// </summary>
    public async Task<bool> UpgradePasswordHashAsync(UserEntity user, string passwordHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        var etag = user.ETag;
        user.PasswordHash = passwordHash;
        try
        {
            await RunAsync(table => table.UpdateEntityAsync(user, etag, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<bool> RemoveUserAsync(string userName, CancellationToken cancellationToken)
    {
        var response = await RunAsync(table => table.DeleteEntityAsync(UserPartition, UserRowKey(userName), ETag.All, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<UserEntity?> FindUserAsync(string userName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userName) || userName.Length > 256)
        {
            return null;
        }

        var response = await RunAsync(table => table.GetEntityIfExistsAsync<UserEntity>(UserPartition, UserRowKey(userName), cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    public Task<bool> AnyUserAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async table =>
            {
                await foreach (var _ in table.QueryAsync<TableEntity>($"PartitionKey eq '{UserPartition}'", maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }

                return false;
            },
            cancellationToken);

    public async Task<IssuedSoTicket> IssueSoTicketAsync(int associateId, bool isAdministrator, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(associateId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        if (lifetime > MaxTicketLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, TooLong(lifetime, MaxTicketLifetime));
        }

        var now = time.GetUtcNow();
        var issued = new IssuedSoTicket(SoTicketPrefix + Secrets.NewToken(), Secrets.NewToken(), now + lifetime);
        var hash = Secrets.Hash(issued.Ticket);
        await RunAsync(table => table.AddEntityAsync(
            new SoTicketEntity
            {
                PartitionKey = SoTicketPartition(hash),
                RowKey = hash,
                AssociateId = associateId,
                IsAdministrator = isAdministrator,
                IssuedAt = now,
                ExpiresAt = issued.ExpiresAt,
                XsrfHash = Secrets.Hash(issued.XsrfToken),
            },
            cancellationToken), cancellationToken).ConfigureAwait(false);
        return issued;
    }

    public async Task<SoTicketEntity?> FindSoTicketAsync(string ticket, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(ticket);
        var response = await RunAsync(table => table.GetEntityIfExistsAsync<SoTicketEntity>(SoTicketPartition(hash), hash, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    public async Task<bool> RevokeSoTicketAsync(string ticket, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(ticket);
        var response = await RunAsync(table => table.DeleteEntityAsync(SoTicketPartition(hash), hash, ETag.All, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>What an operator is told when a lifetime is over the cap.</summary>
    public static string TooLong(TimeSpan lifetime, TimeSpan max) =>
        string.Create(CultureInfo.InvariantCulture, $"A ticket may live at most {max} (Auth__MaxTicketLifetime); {lifetime} is longer.");

    /// <summary>User names compare case-insensitively; escaping keeps characters Table Storage refuses in keys out of them.</summary>
    private static string UserRowKey(string userName) => Uri.EscapeDataString(userName.ToLowerInvariant());

    /// <summary>Tickets spread over 256 partitions by the first two hex digits of their hash.</summary>
    public static string SoTicketPartition(string hash) => "ticket-" + hash[..2];

    private Task<T> RunAsync<T>(Func<TableClient, Task<T>> operation, CancellationToken cancellationToken) =>
        tables.RunAsync(tables.Names.Credentials, operation, cancellationToken);
}
