using System.Globalization;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PresenceFunctions.Presence;

namespace PresenceFunctions.Http;

/// <summary>
/// The query parameters of the presence routes beyond SuperOffice's: <c>expiresIn</c> on a Set, the history's page and
/// the team view's ids. Names match in any case; on the history and team routes a parameter the route does not know
/// is 400, so a misspelt one never answers something else than asked.
/// </summary>
public static class PresenceQueries
{
    public const string ExpiresInParameter = "expiresIn";
    public const string TopParameter = "$top";
    public const string SkipParameter = "$skip";
    public const string AssociateIdsParameter = "associateIds";
    public const int DefaultHistoryTop = 20;
    public const int MaxHistoryTop = 100;

    /// <summary>Far past any real history; keeps the key range computed from it in bounds.</summary>
    public const int MaxHistorySkip = 1_000_000;

    public const int MaxAssociateIds = 100;

    /// <summary>Entries of the list as given, duplicates included: bounds the parsing before duplicates are removed.</summary>
    public const int MaxAssociateIdEntries = 1000;

    /// <summary>Longer than any duration up to 7 days is written; refused before it is parsed.</summary>
    private const int MaxDurationLength = 40;

    /// <summary>The optional ISO 8601 duration after which a Set reverts; null when not given.</summary>
    public static TimeSpan? ExpiresIn(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Single(query, ExpiresInParameter) is not { } text)
        {
            return null;
        }

        var message = $"{ExpiresInParameter} must be an ISO 8601 duration from PT1S to P7D, such as PT2H.";
        text = text.Trim();
        if (text.Length is 0 or > MaxDurationLength || !text.StartsWith('P'))
        {
            throw ApiException.BadRequest(ExpiresInParameter, message);
        }

        try
        {
            var duration = XmlConvert.ToTimeSpan(text);
            return PresenceExpiryRules.IsAllowed(duration) ? duration : throw ApiException.BadRequest(ExpiresInParameter, message);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw ApiException.BadRequest(ExpiresInParameter, message);
        }
    }

    /// <summary>The history page: <c>$top</c> 1 to 100 (20 when not given), <c>$skip</c> from 0.</summary>
    public static (int Top, int Skip) HistoryPage(IQueryCollection query)
    {
        EnsureOnly(query, TopParameter, SkipParameter);
        return (Number(query, TopParameter, 1, MaxHistoryTop) ?? DefaultHistoryTop, Number(query, SkipParameter, 0, MaxHistorySkip) ?? 0);
    }

    /// <summary>The team view's ids, in the order given, duplicates removed: 1 to 100 positive integers.</summary>
    public static IReadOnlyList<int> AssociateIds(IQueryCollection query)
    {
        EnsureOnly(query, AssociateIdsParameter);
        var text = Single(query, AssociateIdsParameter);
        var message = $"{AssociateIdsParameter} must list 1 to {MaxAssociateIds} associate ids (positive integers), separated by commas.";
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest(AssociateIdsParameter, message);
        }

        var ids = new List<int>();
        var seen = new HashSet<int>();
        var entries = 0;
        foreach (var range in text.AsSpan().Split(','))
        {
            var entry = text.AsSpan()[range].Trim();
            if (++entries > MaxAssociateIdEntries
                || !int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                throw ApiException.BadRequest(AssociateIdsParameter, message);
            }

            if (seen.Add(id))
            {
                ids.Add(id);
            }
        }

        return ids.Count <= MaxAssociateIds ? ids : throw ApiException.BadRequest(AssociateIdsParameter, message);
    }

    /// <summary>Besides <c>$select</c>, only the given parameters, each once.</summary>
    private static void EnsureOnly(IQueryCollection query, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (key, values) in query)
        {
            if (!key.Equals("$select", StringComparison.OrdinalIgnoreCase) && !known.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest(key, $"The query parameter {key} is not known here; this route takes {string.Join(", ", known)} and $select.");
            }

            if (values.Count > 1)
            {
                throw ApiException.BadRequest(key, $"The query parameter {key} is given more than once.");
            }
        }
    }

    /// <summary>The parameter's value, by name in any case; given twice is 400.</summary>
    private static string? Single(IQueryCollection query, string name)
    {
        StringValues? found = null;
        foreach (var (key, values) in query)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                if (found is not null || values.Count > 1)
                {
                    throw ApiException.BadRequest(name, $"The query parameter {name} is given more than once.");
                }

                found = values;
            }
        }

        return found?.ToString();
    }

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
}
