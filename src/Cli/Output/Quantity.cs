using System.Globalization;

namespace PresenceFunctions.Cli.Output;

/// <summary>"1 ticket", "2 tickets", "1 category", "3 categories": a count with its noun in the right number.</summary>
public static class Quantity
{
    public static string Of(int count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");
}
