using System.Text;
using PresenceFunctions.Http;

namespace PresenceFunctions.Tests.Unit.Http;

/// <summary>No body at the size limit, of any content type, makes a parser allocate more than a small multiple of that limit (issue 10).</summary>
public sealed class BodyAllocationTests
{
    /// <summary>16 x the 64 KiB body limit: 1 MiB.</summary>
    private const long Bound = 16L * RequestBody.MaxBytes;

    public static TheoryData<string, RequestFormat> WorstCaseBodies => new()
    {
        { Fill("[", "0,", "0]"), RequestFormat.Json },
        { Fill("{", "\"a{0}\":0,", "\"z\":0}"), RequestFormat.Json },
        { Fill("{\"a\":[", "[],", "[]]}"), RequestFormat.Json },
        { Fill("{", "\"a{0}\":[0],", "\"z\":0}"), RequestFormat.MergePatch },
        { Fill("{\"AssociateId\":{", "\"a{0}\":{},", "\"z\":0}}"), RequestFormat.MergePatch },
        { Fill("[{\"op\":\"add\",\"path\":\"/AssociateId\",\"value\":[", "0,", "0]}]"), RequestFormat.JsonPatch },
        { Fill("[", "{\"op\":\"copy\",\"from\":\"/AssociateId\",\"path\":\"/AssociateId/-\"},", "0]"), RequestFormat.JsonPatch },
        { Fill("", "a{0}=&", "z="), RequestFormat.Form },
        { Fill("", "a{0}.b=&", "z="), RequestFormat.Form },
        { Fill("<SetUserPresenceStatusRequest>", "<a{0}/>", "</SetUserPresenceStatusRequest>"), RequestFormat.Xml },
        { Fill("<SetUserPresenceStatusRequest><a>", "<b/>", "</a></SetUserPresenceStatusRequest>"), RequestFormat.Xml },
    };

    [Theory]
    [MemberData(nameof(WorstCaseBodies))]
    public void ABodyAtTheLimitAllocatesASmallMultipleOfIt(string body, RequestFormat format)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.InRange(bytes.Length, RequestBody.MaxBytes - 64, RequestBody.MaxBytes);
        ParseOrRefuse(bytes, format);

        var before = GC.GetAllocatedBytesForCurrentThread();
        ParseOrRefuse(bytes, format);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < Bound, $"{format}: allocated {allocated:N0} bytes for a {bytes.Length:N0}-byte body");
    }

    private static void ParseOrRefuse(byte[] body, RequestFormat format)
    {
        try
        {
            RequestDocument.Parse(body, format, RequestShape.SetRequest);
        }
        catch (ApiException)
        {
            // Refused is fine; the cost of getting there is what counts.
        }
    }

    /// <summary>A body of <paramref name="repeated"/> (with {0} numbered) between head and tail, just under the limit.</summary>
    private static string Fill(string head, string repeated, string tail)
    {
        var text = new StringBuilder(head);
        for (var i = 0; ; i++)
        {
            var next = repeated.Replace("{0}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (text.Length + next.Length + tail.Length > RequestBody.MaxBytes)
            {
                break;
            }

            text.Append(next);
        }

        return text.Append(tail).ToString();
    }
}
