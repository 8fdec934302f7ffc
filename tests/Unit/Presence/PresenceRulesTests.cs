using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Presence;

public sealed class PresenceRulesTests
{
    [Theory]
    [InlineData("Lunch")]
    [InlineData("")]
    [InlineData("tab\tnewline\r\n")]
    [InlineData("NO:\"Ikke til stede\";US:\"Not present\"")]
    [InlineData("emoji 😀")]
    public void TextThatEveryFormatCanCarryIsWritable(string text)
    {
        Assert.True(PresenceRules.IsWritableText(text));
    }

    [Theory]
    [InlineData("bell\u0007")]
    [InlineData("nul\0")]
    [InlineData("\uffff")]
    public void ControlCharactersAndLoneSurrogatesAreNot(string text)
    {
        Assert.False(PresenceRules.IsWritableText(text));
    }

    [Fact]
    public void LoneSurrogatesAreNot()
    {
        // Built in code: attribute arguments cannot hold a lone surrogate.
        Assert.False(PresenceRules.IsWritableText(new string([(char)0xD800, 'x'])));
        Assert.False(PresenceRules.IsWritableText(new string(['x', (char)0xDC00])));
        Assert.False(PresenceRules.IsWritableText(new string([(char)0xD800])));
    }
}
