using System.Globalization;
using System.Text;

namespace PresenceFunctions.Observability;

/// <summary>
/// Makes caller-supplied text (a user name from a failed login) safe to log: control and formatting
/// characters become <c>\uXXXX</c>, so a value cannot forge log lines or hide text, and it is cut short.
/// </summary>
public static class LogText
{
    public const int MaxLength = 64;

    public static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = new StringBuilder(Math.Min(value.Length, MaxLength) + 8);
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxLength)))
        {
            if (char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return value.Length > MaxLength ? text.Append('…').ToString() : text.ToString();
    }
}
