using PresenceFunctions.Observability;

namespace PresenceFunctions.Tests.Unit.Presence;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("tje0", "tje0")]
    [InlineData("ola.nordmann@example.no", "ola.nordmann@example.no")]
    [InlineData("evil\r\nwarn: forged", "evil\\u000D\\u000Awarn: forged")]
    [InlineData("a\u001b[2Jb", "a\\u001B[2Jb")]
    [InlineData("right\u202Eleft", "right\\u202Eleft")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void ControlAndFormattingCharactersAreEscaped(string? value, string expected)
    {
        Assert.Equal(expected, LogText.Safe(value));
    }

    [Fact]
    public void LongValuesAreCutShort()
    {
        Assert.Equal(new string('x', LogText.MaxLength) + "…", LogText.Safe(new string('x', 500)));
    }
}
