using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PresenceFunctions.Localization;

/// <summary>
/// The language (and culture and time zone) a request asks answers in. <c>SO-Language</c> overrides
/// <c>Accept-Language</c>; <c>*</c> or <c>x</c> cancels translation. Invalid values are ignored, never an error.
/// </summary>
public sealed record RequestLocale(IReadOnlyList<string> Languages, CultureInfo? Culture, TimeZoneInfo? TimeZone)
{
    public const string LanguageHeader = "SO-Language";
    public const string CultureHeader = "SO-Culture";
    public const string TimeZoneHeader = "SO-TimeZone";

    public static readonly RequestLocale None = new([], null, null);

    public static RequestLocale From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.ContainsKey(LanguageHeader) && !headers.ContainsKey("Accept-Language") && !headers.ContainsKey(TimeZoneHeader))
        {
            return None;
        }

        var languages = RequestedLanguages(headers);

        // SO-Culture only refines a language; this carrier has no dates or numbers, but the values are still checked.
        var culture = languages.Count > 0 ? ParseCulture(headers[CultureHeader].ToString()) : null;
        var timeZoneId = headers[TimeZoneHeader].ToString().Trim();
        var timeZone = timeZoneId.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : null;
        return languages.Count == 0 && culture is null && timeZone is null ? None : new RequestLocale(languages, culture, timeZone);
    }

    public string? Translate(string? text) => MultiLanguageText.Resolve(text, Languages);

    private static List<string> RequestedLanguages(IHeaderDictionary headers)
    {
        var soLanguage = headers[LanguageHeader].ToString().Trim();
        if (soLanguage.Length > 0)
        {
            return soLanguage is "*" || soLanguage.Equals("x", StringComparison.OrdinalIgnoreCase)
                ? []
                : LanguageCodes.Normalize(soLanguage) is { } language ? [language] : [];
        }

        if (!StringWithQualityHeaderValue.TryParseList(headers.AcceptLanguage, out var ranges))
        {
            return [];
        }

        return
        [
            .. ranges
                .Where(r => (r.Quality ?? 1) > 0)
                .OrderByDescending(r => r.Quality ?? 1)
                .Select(r => LanguageCodes.Normalize(r.Value.Value))
                .OfType<string>()
                .Distinct(),
        ];
    }

    private static CultureInfo? ParseCulture(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            return CultureInfo.GetCultureInfo(name.Trim(), predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
