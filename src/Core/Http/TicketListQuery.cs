using System.Globalization;
using Microsoft.AspNetCore.Http;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Http;

/// <summary>
/// A ticket list's query string: the filters (<c>ownerId</c>, <c>state</c>) where the route has them, and a page by
/// <c>$top</c>/<c>$skip</c> or by the <c>$continuation</c> token of the previous answer. Names match in any case; a
/// parameter the route does not know is 400, so a misspelt filter never answers an unfiltered list.
/// </summary>
public sealed record TicketListQuery(int? OwnerId, TicketState? State, int Top, int Skip, string? Continuation)
{
    public const int DefaultTop = 100;
    public const int MaxTop = TicketPaging.MaxTop;
    public const int MaxSkip = TicketPaging.MaxSkip;

    /// <summary>Tokens are opaque to callers; anything longer than the service ever writes is refused before it is decoded.</summary>
    public const int MaxContinuationLength = 2048;

    public const string TopParameter = "$top";
    public const string SkipParameter = "$skip";
    public const string ContinuationParameter = "$continuation";
    public const string OwnerIdParameter = "ownerId";
    public const string StateParameter = "state";

    private static readonly string[] Paging = ["$select", TopParameter, SkipParameter, ContinuationParameter];
    private static readonly string[] Filters = [OwnerIdParameter, StateParameter];

    public static TicketListQuery Read(IQueryCollection query, bool withFilters)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (key, values) in query)
        {
            if (!Paging.Contains(key, StringComparer.OrdinalIgnoreCase) && !(withFilters && Filters.Contains(key, StringComparer.OrdinalIgnoreCase)))
            {
                var known = withFilters ? [.. Filters, .. Paging] : Paging;
                throw ApiException.BadRequest(key, $"The query parameter {key} is not known here; this route takes {string.Join(", ", known)}.");
            }

            if (values.Count > 1)
            {
                throw ApiException.BadRequest(key, $"The query parameter {key} is given more than once.");
            }
        }

        var continuation = Single(query, ContinuationParameter);
        var skip = Number(query, SkipParameter, 0, MaxSkip) ?? 0;
        if (continuation is not null && (continuation.Length == 0 || continuation.Length > MaxContinuationLength))
        {
            throw ApiException.BadRequest(ContinuationParameter, $"{ContinuationParameter} must be the token a previous page answered.");
        }

        if (continuation is not null && skip > 0)
        {
            throw ApiException.BadRequest(SkipParameter, $"Page by {SkipParameter} or by {ContinuationParameter}, not both.");
        }

        return new TicketListQuery(
            withFilters ? Number(query, OwnerIdParameter, 0, int.MaxValue) : null,
            withFilters ? ReadState(query) : null,
            Number(query, TopParameter, 1, MaxTop) ?? DefaultTop,
            skip,
            continuation);
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static int? Number(IQueryCollection query, string name, int min, int max)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ApiException.BadRequest(name, $"{name} must be an integer from {min} to {max}.");
    }

    private static TicketState? ReadState(IQueryCollection query)
    {
        if (Single(query, StateParameter) is not { } text)
        {
            return null;
        }

        return Array.Find(Enum.GetNames<TicketState>(), n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<TicketState>(name)
            : throw ApiException.BadRequest(StateParameter, $"{StateParameter} must be Open or Closed.");
    }
}
