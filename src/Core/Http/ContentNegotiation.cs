using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace PresenceFunctions.Http;

/// <summary>Picks the response format from the Accept header (RFC 9110 §12.5.1), else from the request's Content-Type.</summary>
public static class ContentNegotiation
{
    /// <summary>
    /// The highest quality wins; quality comes from the most specific range that matches a format.
    /// Ties go to the more specific range, then to the range listed first, then to JSON.
    /// A missing, invalid or unsatisfiable Accept answers JSON, as ASP.NET Core does by default.
    /// </summary>
    public static ResponseFormat Choose(StringValues accept) => Choose(accept, contentType: null);

    /// <summary>
    /// As SuperOffice does: Accept decides when it states a preference; when it is missing, invalid or
    /// only <c>*/*</c>, an XML request is answered in the XML type it was sent in, anything else in JSON.
    /// </summary>
    public static ResponseFormat Choose(StringValues accept, string? contentType)
    {
        if (accept.Count == 1 && Exactly(accept[0]) is { } exact)
        {
            return exact;
        }

        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0 || OnlyAnyType(ranges))
        {
            return FromContentType(contentType);
        }

        ResponseFormat? best = null;
        (double Quality, int Specificity, int Position) bestScore = (0, 0, 0);
        foreach (var format in ResponseFormat.All)
        {
            if (Score(format, ranges) is not { } score || score.Quality <= 0)
            {
                continue;
            }

            if (best is null || score.Quality > bestScore.Quality
                || (score.Quality.Equals(bestScore.Quality) && (score.Specificity > bestScore.Specificity
                    || (score.Specificity == bestScore.Specificity && score.Position < bestScore.Position))))
            {
                best = format;
                bestScore = score;
            }
        }

        return best ?? ResponseFormat.Json;
    }

    /// <summary>
    /// An Accept that is exactly one format's media type, as most clients send it, chooses that format: the full
    /// parse below would too (one range, quality 1, matching only it), but allocates a list of parsed ranges first.
    /// </summary>
    private static ResponseFormat? Exactly(string? accept)
    {
        foreach (var format in ResponseFormat.All)
        {
            if (string.Equals(accept, format.MediaType, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        return null;
    }

    private static bool OnlyAnyType(IList<MediaTypeHeaderValue> ranges)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            if (!ranges[i].MatchesAllTypes)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares the media type's span by hand: this runs on every request, so it parses nothing into objects.</summary>
    private static ResponseFormat FromContentType(string? contentType)
    {
        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        mediaType = (parameters < 0 ? mediaType : mediaType[..parameters]).Trim();
        return mediaType.Equals(MediaTypes.Xml, StringComparison.OrdinalIgnoreCase) ? ResponseFormat.Xml
            : mediaType.Equals(MediaTypes.TextXml, StringComparison.OrdinalIgnoreCase) ? ResponseFormat.TextXml
            : ResponseFormat.Json;
    }

    private static (double Quality, int Specificity, int Position)? Score(ResponseFormat format, IList<MediaTypeHeaderValue> ranges)
    {
        (double, int, int)? found = null;
        var slash = format.MediaType.IndexOf('/', StringComparison.Ordinal);
        var type = format.MediaType.AsSpan(0, slash);
        for (var i = 0; i < ranges.Count; i++)
        {
            // Compared by hand: building header values to call IsSubsetOf allocated on every request.
            var range = ranges[i];
            var specificity = range.MatchesAllTypes ? 0
                : range.MatchesAllSubTypes && range.Type.AsSpan().Equals(type, StringComparison.OrdinalIgnoreCase) ? 1
                : range.MediaType.Equals(format.MediaType, StringComparison.OrdinalIgnoreCase) ? 2
                : -1;
            if (specificity < 0)
            {
                continue;
            }

            if (found is null || specificity > found.Value.Item2)
            {
                found = (range.Quality ?? 1.0, specificity, i);
            }
        }

        return found;
    }
}
