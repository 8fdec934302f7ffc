using Microsoft.AspNetCore.Http;
using PresenceFunctions.Localization;

namespace PresenceFunctions.Tests.Unit.Localization;

public sealed class LanguageTests
{
    private const string Away = "NO:\"Ikke til stede\";US:\"Not present\";SE:\"Inte här\";DK:\"Ikke til stede (da)\";GE:\"Abwesend\";FR:\"Absent\"";

    private static string? Resolve(string? message, string? acceptLanguage = null, string? soLanguage = null)
    {
        var headers = new HeaderDictionary();
        if (acceptLanguage is not null)
        {
            headers["Accept-Language"] = acceptLanguage;
        }

        if (soLanguage is not null)
        {
            headers[RequestLocale.LanguageHeader] = soLanguage;
        }

        return RequestLocale.From(headers).Translate(message);
    }

    [Theory]
    [InlineData("en", "Not present")]
    [InlineData("en-US", "Not present")]
    [InlineData("en-GB", "Not present")]
    [InlineData("EN", "Not present")]
    [InlineData("nb", "Ikke til stede")]
    [InlineData("no", "Ikke til stede")]
    [InlineData("nb-NO", "Ikke til stede")]
    [InlineData("nn", "Ikke til stede")]
    [InlineData("sv", "Inte här")]
    [InlineData("sv-SE", "Inte här")]
    [InlineData("da", "Ikke til stede (da)")]
    [InlineData("de", "Abwesend")]
    [InlineData("de-AT", "Abwesend")]
    [InlineData("fr", "Absent")]
    public void LanguagesMatchTheVariantsTheyName(string language, string expected)
    {
        Assert.Equal(expected, Resolve(Away, acceptLanguage: language));
        Assert.Equal(expected, Resolve(Away, soLanguage: language));
    }

    [Theory]
    [InlineData("US", "en")]
    [InlineData("GB", "en")]
    [InlineData("EN", "en")]
    [InlineData("NO", "no")]
    [InlineData("SE", "sv")]
    [InlineData("DA", "da")]
    [InlineData("DK", "da")]
    [InlineData("GE", "de")]
    [InlineData("DE", "de")]
    [InlineData("NL", "nl")]
    [InlineData("FR", "fr")]
    [InlineData("FI", "fi")]
    [InlineData("ES", "es")]
    [InlineData("IT", "it")]
    [InlineData("PL", "pl")]
    [InlineData("PT", "pt")]
    public void SuperOfficeCodesNormalizeToTheirLanguage(string code, string language)
    {
        Assert.Equal(language, LanguageCodes.Normalize(code));
    }

    [Theory]
    [InlineData("nl", "NL:\"Afwezig\";US:\"Away\"", "Afwezig")]
    [InlineData("fi", "US:\"Away\";FI:\"Poissa\"", "Poissa")]
    [InlineData("es", "ES:\"Ausente\"", "Ausente")]
    [InlineData("it", "US:\"Away\";IT:\"Assente\"", "Assente")]
    [InlineData("pl", "US:\"Away\";PL:\"Nieobecny\"", "Nieobecny")]
    [InlineData("pt-BR", "US:\"Away\";PT:\"Ausente\"", "Ausente")]
    [InlineData("en", "GB:\"Away (GB)\";NO:\"Borte\"", "Away (GB)")]
    [InlineData("de", "DE:\"Weg\"", "Weg")]
    [InlineData("da", "DA:\"Væk\";NO:\"Borte\"", "Væk")]
    public void OtherLanguagesMatchThemselves(string language, string message, string expected)
    {
        Assert.Equal(expected, Resolve(message, acceptLanguage: language));
    }

    [Fact]
    public void SoLanguageOverridesAcceptLanguage()
    {
        Assert.Equal("Ikke til stede", Resolve(Away, acceptLanguage: "en-US", soLanguage: "no"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("x")]
    [InlineData("X")]
    public void StarOrXInSoLanguageCancelsTranslation(string soLanguage)
    {
        Assert.Equal(Away, Resolve(Away, acceptLanguage: "en", soLanguage: soLanguage));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*")]
    public void NoLanguageReturnsTheTextUnchanged(string? acceptLanguage)
    {
        Assert.Equal(Away, Resolve(Away, acceptLanguage: acceptLanguage));
    }

    [Fact]
    public void AnUnmatchedLanguageReturnsTheFirstVariant()
    {
        Assert.Equal("Ikke til stede", Resolve(Away, acceptLanguage: "ja"));
    }

    [Fact]
    public void AcceptLanguageQualitiesPickTheBestVariantThatExists()
    {
        Assert.Equal("Abwesend", Resolve(Away, acceptLanguage: "ja, de;q=0.8, en;q=0.5"));
        Assert.Equal("Not present", Resolve(Away, acceptLanguage: "de;q=0.2, en;q=0.9"));
        Assert.Equal("Not present", Resolve(Away, acceptLanguage: "de;q=0, en;q=0.1"));
    }

    [Theory]
    [InlineData("Out to lunch")]
    [InlineData("NO: not quoted")]
    [InlineData("NO:\"unterminated")]
    [InlineData("N:\"code too short\"")]
    [InlineData("NO:\"a\" US:\"missing semicolon\"")]
    [InlineData("")]
    public void TextNotInMultiLanguageFormIsUnchanged(string message)
    {
        Assert.Equal(message, Resolve(message, acceptLanguage: "en"));
    }

    [Fact]
    public void DoubledQuotesInAVariantAreOneQuote()
    {
        Assert.Equal("Say \"hi\"", Resolve("US:\"Say \"\"hi\"\"\"; NO:\"Si hei\";", acceptLanguage: "en"));
    }

    [Theory]
    [InlineData("Accept-Language", "en;q=abc,,;;")]
    [InlineData("Accept-Language", "\u0001\u0002")]
    [InlineData("SO-Language", "not a language")]
    [InlineData("SO-Culture", "xx-INVALID-culture")]
    [InlineData("SO-TimeZone", "Mars/Olympus_Mons")]
    public void InvalidHeadersAreIgnored(string header, string value)
    {
        var headers = new HeaderDictionary { [header] = value, ["SO-Language"] = header == "SO-Language" ? value : "en" };
        var locale = RequestLocale.From(headers);
        Assert.NotNull(locale.Translate(Away));
    }

    [Fact]
    public void CultureAndTimeZoneChangeNothing()
    {
        var plain = RequestLocale.From(new HeaderDictionary { ["SO-Language"] = "no" });
        var refined = RequestLocale.From(new HeaderDictionary { ["SO-Language"] = "no", ["SO-Culture"] = "en-US", ["SO-TimeZone"] = "UTC" });

        Assert.Equal(plain.Languages, refined.Languages);
        Assert.Same(RequestLocale.None, RequestLocale.From(new HeaderDictionary { ["SO-Culture"] = "nb-NO", ["SO-TimeZone"] = "Europe/Oslo" }));
    }

    [Theory]
    [InlineData("en-us; en-gb", "Not present")]
    [InlineData("en-us;en-gb", "Not present")]
    [InlineData("ja; sv; en", "Inte här")]
    [InlineData("en-US,en;q=0.8", "Not present")]
    [InlineData("ja , de ; q=0.8 ,en;q=0.5", "Abwesend")]
    [InlineData("  sv-SE  ", "Inte här")]
    [InlineData("en;q=0.2, de;q=0.9", "Abwesend")]
    [InlineData("ja, *", "Ikke til stede")]
    public void SuperOfficesDocumentedLanguageListFormsMatch(string header, string expected)
    {
        Assert.Equal(expected, Resolve(Away, acceptLanguage: header));
        Assert.Equal(expected, Resolve(Away, soLanguage: header));
    }

    [Fact]
    public void OnlyTheFirstTenLanguageEntriesCount()
    {
        var nine = string.Join(", ", Enumerable.Range(0, 9).Select(i => "q" + (char)('a' + i) + "x"));

        Assert.Equal("Abwesend", Resolve(Away, acceptLanguage: nine + ", de"));
        Assert.Equal("Ikke til stede", Resolve(Away, acceptLanguage: nine + ", ja, de"));
        Assert.Equal("Ikke til stede", Resolve(Away, soLanguage: nine + "; ja; de"));
    }

    [Fact]
    public void AThirtyKilobyteHeaderAndAMessageOf333VariantsResolveQuickly()
    {
        var codes = Enumerable.Range(0, 26 * 26).Select(i => $"{(char)('a' + (i / 26))}{(char)('a' + (i % 26))}")
            .Where(c => LanguageCodes.Normalize(c) == c && c != "de")
            .Take(332);
        var message = string.Concat(codes.Select(c => c + ":\"\";")) + "DE:\"Weg\"";
        var header = string.Join(", ", Enumerable.Range(0, 3000).Select(i => "zzz;q=0.5")) + ", de";
        Assert.True(header.Length > 30_000);

        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("", Resolve(message, acceptLanguage: header));
        }

        Assert.True(started.ElapsedMilliseconds < 200, $"10 resolutions took {started.ElapsedMilliseconds} ms");
        Assert.Equal("Weg", Resolve(message, acceptLanguage: "de"));
    }

    [Fact]
    public void NullMessagesStayNull()
    {
        Assert.Null(Resolve(null, acceptLanguage: "en"));
    }
}
