using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PresenceFunctions.Tickets;

/// <summary>
/// Bounds of a listing and its continuation token: the last ticket id of a page, bound to the query it came from, so
/// a token from another query (or a forged one) is a clear 400, never a 500 or a silently wrong page.
/// </summary>
public static class TicketPaging
{
    public const int MaxTop = 1000;
    public const int MaxSkip = 10_000;
    public const string ContinuationField = "continuationToken";
    private const int MaxTokenLength = 200;

    public static void Validate(int top, int skip)
    {
        if (top is < 1 or > MaxTop)
        {
            throw new TicketRequestException($"$top must be between 1 and {MaxTop}.", "$top");
        }

        if (skip is < 0 or > MaxSkip)
        {
            throw new TicketRequestException($"$skip must be between 0 and {MaxSkip}.", "$skip");
        }
    }

    public static string Encode(string scope, int afterTicketId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{scope}|{afterTicketId}")));

    /// <summary>The ticket id to continue after; 0 without a token.</summary>
    public static int Decode(string scope, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        if (token.Length <= MaxTokenLength && Base64Url.IsValid(token))
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var bar = text.LastIndexOf('|');
            if (bar > 0 && string.Equals(text[..bar], scope, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var after) && after > 0)
            {
                return after;
            }
        }

        throw new TicketRequestException("The continuation token is not one this listing gave out.", ContinuationField);
    }

    /// <summary>A page from rows read after the token: skip, take, and a token when more rows were there.</summary>
    public static TicketPage Page(string scope, IReadOnlyList<TicketDetails> rows, int top, int skip)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var page = rows.Skip(skip).Take(top).ToList();
        return new TicketPage(page, rows.Count > skip + top && page.Count > 0 ? Encode(scope, page[^1].TicketId) : null);
    }
}
