using Microsoft.AspNetCore.Http;

namespace PresenceFunctions.Localization;

/// <summary>
/// The languages a request asks answers in. <c>SO-Language</c> overrides <c>Accept-Language</c>; <c>*</c> or
/// <c>x</c> cancels translation. Invalid values are ignored, never an error. <c>SO-Culture</c> and
/// <c>SO-TimeZone</c> are accepted and ignored: this carrier has no dates or numbers, and resolving them would
/// make .NET cache every distinct value a caller sends.
/// </summary>
public sealed record RequestLocale(IReadOnlyList<string> Languages)
{
    public const string LanguageHeader = "SO-Language";

    public static readonly RequestLocale None = new([]);

    public static RequestLocale From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var soLanguage = headers[LanguageHeader].ToString().Trim();
        if (soLanguage.Length > 0)
        {
            return soLanguage is "*" || soLanguage.Equals("x", StringComparison.OrdinalIgnoreCase) ? None : Of(soLanguage);
        }

        return headers.ContainsKey("Accept-Language") ? Of(headers.AcceptLanguage.ToString()) : None;
    }

    public string? Translate(string? text) => MultiLanguageText.Resolve(text, Languages);

    private static RequestLocale Of(string header) => LanguageList.Parse(header) is { Count: > 0 } languages ? new(languages) : None;
}
