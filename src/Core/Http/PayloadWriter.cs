using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace PresenceFunctions.Http;

/// <summary>Writes a response object as JSON, or as XML with one element per property and <c>i:nil</c> for null.</summary>
public static class PayloadWriter
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Responses are never embedded in HTML, so non-ASCII text is written as UTF-8 rather than escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
    };

    public static byte[] Write(JsonObject body, string xmlRoot, PayloadKind kind) =>
        Write(body, xmlRoot, kind, ReadOnlyDictionary<string, string>.Empty);

    /// <param name="xmlItems">For each array property, the element name of its items in XML.</param>
    public static byte[] Write(JsonObject body, string xmlRoot, PayloadKind kind, IReadOnlyDictionary<string, string> xmlItems) => kind switch
    {
        PayloadKind.Xml => WriteXml(body, xmlRoot, xmlItems),
        _ => WriteJson(body),
    };

    /// <summary>A list as the answer itself: a JSON array, or in XML the root (DataContract's <c>ArrayOf…</c>) holding one element per item.</summary>
    public static byte[] WriteList(JsonArray items, string xmlRoot, string xmlItem, PayloadKind kind)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (kind != PayloadKind.Xml)
        {
            return WriteJson(items);
        }

        using var stream = new MemoryStream(256);
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(xmlRoot);
            writer.WriteAttributeString("xmlns", "i", null, XsiNamespace);
            var names = new Dictionary<string, string> { [xmlRoot] = xmlItem };
            WriteValue(writer, xmlRoot, items, names);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    /// <summary>Each thread's buffer and writer, reset for every response rather than allocated for every response.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? jsonWriter;

    private static byte[] WriteJson(JsonNode body)
    {
        if (jsonWriter is not { } cached)
        {
            var created = new ArrayBufferWriter<byte>(256);
            cached = (created, new Utf8JsonWriter(created, JsonOptions));
            jsonWriter = cached;
        }

        var (buffer, writer) = cached;
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        body.WriteTo(writer);
        writer.Flush();
        var written = buffer.WrittenSpan.ToArray();

        // A large list must not keep its buffer alive on the thread after it is answered.
        if (buffer.Capacity > 16 * 1024)
        {
            jsonWriter = null;
        }

        return written;
    }

    private static byte[] WriteXml(JsonObject body, string root, IReadOnlyDictionary<string, string> xmlItems)
    {
        using var stream = new MemoryStream(256);
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            writer.WriteAttributeString("xmlns", "i", null, XsiNamespace);
            WriteProperties(writer, body, xmlItems);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteProperties(XmlWriter writer, JsonObject body, IReadOnlyDictionary<string, string> xmlItems)
    {
        foreach (var (name, value) in body)
        {
            writer.WriteStartElement(name);
            WriteValue(writer, name, value, xmlItems);
            writer.WriteEndElement();
        }
    }

    private static void WriteValue(XmlWriter writer, string name, JsonNode? value, IReadOnlyDictionary<string, string> xmlItems)
    {
        switch (value)
        {
            case null:
                writer.WriteAttributeString("nil", XsiNamespace, "true");
                break;
            case JsonObject child:
                WriteProperties(writer, child, xmlItems);
                break;
            case JsonArray items:
                // As DataContract writes a list: one element per item, named after the item's type.
                var itemName = xmlItems.TryGetValue(name, out var known) ? known : throw new NotSupportedException($"No XML item name for {name}.");
                foreach (var item in items)
                {
                    writer.WriteStartElement(itemName);
                    WriteValue(writer, itemName, item, xmlItems);
                    writer.WriteEndElement();
                }

                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                writer.WriteString(XmlText(scalar.GetValue<string>()));
                break;
            case JsonValue scalar when scalar.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                writer.WriteString(scalar.GetValue<bool>() ? "true" : "false");
                break;
            case JsonValue scalar:
                writer.WriteString(scalar.ToJsonString());
                break;
        }
    }

    /// <summary>
    /// The text with each character XML 1.0 cannot carry (most control characters, a lone surrogate, U+FFFE/U+FFFF)
    /// replaced by U+FFFD. Stored values never hold one (input refuses them), but an error may quote what a caller sent.
    /// </summary>
    private static string XmlText(string text)
    {
        var first = FirstInvalid(text, 0);
        if (first < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = first; i >= 0; i = FirstInvalid(text, i + 1))
        {
            chars[i] = '\uFFFD';
        }

        return new string(chars);
    }

    private static int FirstInvalid(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                continue;
            }

            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
