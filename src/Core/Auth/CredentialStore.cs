using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Identity;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Auth;

/// <summary>Users and tickets in the Credentials table. Passwords are stored as PBKDF2 hashes, tickets as SHA-256 hashes.</summary>
public sealed class CredentialStore(StorageTables tables, IPasswordHasher<UserEntity> hasher, TimeProvider time)
{
    public const string TicketPrefix = "7T:";
    private const string UserPartition = "user";

    public async Task<bool> AddOrUpdateUserAsync(string userName, string password, int associateId, bool isAdministrator, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(associateId);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
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
        await table.UpsertEntityAsync(user, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
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
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var etag = user.ETag;
        user.PasswordHash = passwordHash;
        try
        {
            await table.UpdateEntityAsync(user, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<bool> RemoveUserAsync(string userName, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(UserPartition, UserRowKey(userName), ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<UserEntity?> FindUserAsync(string userName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userName) || userName.Length > 256)
        {
            return null;
        }

        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<UserEntity>(UserPartition, UserRowKey(userName), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var _ in table.QueryAsync<TableEntity>($"PartitionKey eq '{UserPartition}'", maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }

    public async Task<IssuedTicket> IssueTicketAsync(int associateId, bool isAdministrator, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(associateId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var issued = new IssuedTicket(TicketPrefix + Secrets.NewToken(), Secrets.NewToken(), time.GetUtcNow() + lifetime);
        var hash = Secrets.Hash(issued.Ticket);
        await table.AddEntityAsync(
            new SoTicketEntity
            {
                PartitionKey = TicketPartition(hash),
                RowKey = hash,
                AssociateId = associateId,
                IsAdministrator = isAdministrator,
                IssuedAt = time.GetUtcNow(),
                ExpiresAt = issued.ExpiresAt,
                XsrfHash = Secrets.Hash(issued.XsrfToken),
            },
            cancellationToken).ConfigureAwait(false);
        return issued;
    }

    public async Task<SoTicketEntity?> FindTicketAsync(string ticket, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var hash = Secrets.Hash(ticket);
        var response = await table.GetEntityIfExistsAsync<SoTicketEntity>(TicketPartition(hash), hash, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    public async Task<bool> RevokeTicketAsync(string ticket, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken).ConfigureAwait(false);
        var hash = Secrets.Hash(ticket);
        var response = await table.DeleteEntityAsync(TicketPartition(hash), hash, ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <summary>User names compare case-insensitively; escaping keeps characters Table Storage refuses in keys out of them.</summary>
    private static string UserRowKey(string userName) => Uri.EscapeDataString(userName.ToLowerInvariant());

    private static string TicketPartition(string hash) => "ticket-" + hash[..2];

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) =>
        tables.GetAsync(tables.Names.Credentials, cancellationToken);
}
