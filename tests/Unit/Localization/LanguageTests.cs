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
    public void ValidCultureAndTimeZoneAreParsed()
    {
        var locale = RequestLocale.From(new HeaderDictionary { ["SO-Language"] = "no", ["SO-Culture"] = "nb-NO", ["SO-TimeZone"] = "UTC" });
        Assert.Equal("nb-NO", locale.Culture?.Name);
        Assert.NotNull(locale.TimeZone);
    }

    [Fact]
    public void NullMessagesStayNull()
    {
        Assert.Null(Resolve(null, acceptLanguage: "en"));
    }
}
