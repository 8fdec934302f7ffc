using System.Globalization;

namespace PresenceFunctions.Localization;

/// <summary>
/// Reads a language list (<c>Accept-Language</c>, <c>SO-Language</c>) in the forms SuperOffice documents:
/// <c>en-US,en;q=0.8</c>, the semicolon-separated <c>en-us; en-gb</c> of its headers page, and <c>*</c>,
/// with spaces anywhere between items. Only the first <see cref="MaxEntries"/> languages count, so a long
/// header costs no more than a short one.
/// </summary>
public static class LanguageList
{
    public const int MaxEntries = 10;

    /// <summary>The languages named, best first (by q, then by position), normalized and without repeats.</summary>
    public static IReadOnlyList<string> Parse(string? header)
    {
        var entries = new List<(string? Language, double Quality)>(MaxEntries);
        var rest = header.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(',', ';');
            var item = (end < 0 ? rest : rest[..end]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
            var equals = item.IndexOf('=');
            if (equals >= 0)
            {
                // A parameter of the language before it: q decides its rank, anything else is ignored.
                if (entries.Count > 0 && item[..equals].Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
                {
                    entries[^1] = (entries[^1].Language, Quality(item[(equals + 1)..].Trim()));
                }

                continue;
            }

            if (item.IsEmpty)
            {
                continue;
            }

            if (entries.Count == MaxEntries)
            {
                break;
            }

            entries.Add((LanguageCodes.Normalize(item.ToString()), 1));
        }

        return
        [
            .. entries
                .Where(e => e.Quality > 0 && e.Language is not null)
                .OrderByDescending(e => e.Quality)
                .Select(e => e.Language!)
                .Distinct(StringComparer.Ordinal),
        ];
    }

    /// <summary>An invalid weight counts as 0: the language is not wanted rather than the header refused.</summary>
    private static double Quality(ReadOnlySpan<char> text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q) && q is >= 0 and <= 1 ? q : 0;
}
