namespace PresenceFunctions.Localization;

/// <summary>
/// Compares SuperOffice's language codes (often country-like: US, GB, NO, SE, DK, GE) with ISO 639
/// language tags (en-US, nb-NO, sv, da, de) by the language they name.
/// </summary>
public static class LanguageCodes
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["us"] = "en",
        ["gb"] = "en",
        ["en"] = "en",
        ["no"] = "no",
        ["nb"] = "no",
        ["nn"] = "no",
        ["se"] = "sv",
        ["sv"] = "sv",
        ["dk"] = "da",
        ["da"] = "da",
        ["ge"] = "de",
        ["de"] = "de",
    };

    /// <summary>The language a code or tag names, or null when it is not a language code at all.</summary>
    public static string? Normalize(string? code)
    {
        var primary = code.AsSpan().Trim();
        var dash = primary.IndexOfAny('-', '_');
        if (dash >= 0)
        {
            primary = primary[..dash];
        }

        if (primary.Length is < 2 or > 3 || !primary.ContainsOnlyLetters())
        {
            return null;
        }

        var text = primary.ToString().ToLowerInvariant();
        return Aliases.TryGetValue(text, out var language) ? language : text;
    }

    private static bool ContainsOnlyLetters(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
