using PresenceFunctions.Presence;

namespace PresenceFunctions.Tests.Unit.Presence;

public sealed class UserStatusNamesTests
{
    [Theory]
    [InlineData("StatusNormal", UserStatus.StatusNormal)]
    [InlineData("statusnotavailable", UserStatus.StatusNotAvailable)]
    [InlineData("STATUSDELETED", UserStatus.StatusDeleted)]
    [InlineData(" StatusSpm ", UserStatus.StatusSpm)]
    [InlineData("0", UserStatus.StatusNone)]
    [InlineData("1", UserStatus.StatusNormal)]
    [InlineData("2", UserStatus.StatusNotAvailable)]
    [InlineData("127", UserStatus.StatusSystem)]
    public void NamesInAnyCaseAndNumbersAreRead(string text, UserStatus expected)
    {
        Assert.True(UserStatusNames.TryParse(text, out var status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    [InlineData("Away")]
    [InlineData("6")]
    [InlineData("-1")]
    [InlineData("126")]
    [InlineData("1.0")]
    [InlineData("StatusNormal,StatusNotAvailable")]
    [InlineData("99999999999")]
    public void UnknownNamesNumbersAndFlagCombinationsAreRefused(string? text)
    {
        Assert.False(UserStatusNames.TryParse(text, out _));
    }

    [Theory]
    [InlineData(UserStatus.StatusNormal, true)]
    [InlineData(UserStatus.StatusNotAvailable, true)]
    [InlineData(UserStatus.StatusNone, false)]
    [InlineData(UserStatus.StatusDeleted, false)]
    [InlineData(UserStatus.StatusReadOnly, false)]
    [InlineData(UserStatus.StatusSpm, false)]
    [InlineData(UserStatus.StatusSystem, false)]
    public void OnlyNormalAndNotAvailableArePresence(UserStatus status, bool presence)
    {
        Assert.Equal(presence, status.IsPresence());
    }

    [Fact]
    public void NamesAreWrittenAsTheEnumMembers()
    {
        Assert.Equal("StatusNotAvailable", UserStatus.StatusNotAvailable.ToName());
        Assert.Equal("StatusSystem", UserStatus.StatusSystem.ToName());
    }
}
