using System.Collections.Frozen;
using System.Globalization;

namespace PresenceFunctions.Presence;

/// <summary>Reads and writes <see cref="UserStatus"/> the way SuperOffice callers send it.</summary>
public static class UserStatusNames
{
    private static readonly FrozenDictionary<string, UserStatus> ByName =
        Enum.GetValues<UserStatus>().ToFrozenDictionary(s => s.ToString(), StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<UserStatus, string> Names =
        Enum.GetValues<UserStatus>().ToFrozenDictionary(s => s, s => s.ToString());

    /// <summary>A member name (any case) or its number. Enum.TryParse is not used: it accepts "A,B" flag combinations.</summary>
    public static bool TryParse(string? text, out UserStatus status)
    {
        status = default;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return false;
        }

        if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            status = (UserStatus)number;
            return Enum.IsDefined(status);
        }

        return ByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(trimmed, out status);
    }

    public static string ToName(this UserStatus status) =>
        Names.TryGetValue(status, out var name) ? name : ((int)status).ToString(CultureInfo.InvariantCulture);

    /// <summary>Presence is StatusNormal or StatusNotAvailable; the other members describe account states.</summary>
    public static bool IsPresence(this UserStatus status) =>
        status is UserStatus.StatusNormal or UserStatus.StatusNotAvailable;
}
