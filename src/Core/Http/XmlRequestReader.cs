using System.Text.Json.Nodes;
using System.Xml;

namespace PresenceFunctions.Http;

/// <summary>
/// Reads an XML body into the same shape as a JSON one: the root element names the request type,
/// child elements are properties (namespaces ignored, names case-insensitive), <c>xsi:nil="true"</c>
/// is null. DTDs, and with them every external or expanding entity, are refused.
/// </summary>
public static class XmlRequestReader
{
    /// <summary>Elements an XML body may hold; the largest contract body has six.</summary>
    public const int MaxElements = 256;

    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = RequestBody.MaxBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    public static JsonObject Read(ReadOnlySpan<byte> body, string expectedRoot)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), Settings);
            reader.MoveToContent();
            if (!string.Equals(reader.LocalName, expectedRoot, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiException.BadRequest("Body", $"The XML root element must be <{expectedRoot}>.");
            }

            var elements = 0;
            var root = ReadValue(reader, depth: 1, ref elements) as JsonObject ?? new JsonObject(RequestDocument.NodeOptions);
            while (reader.Read())
            {
                // Reading to the end makes trailing garbage fail as malformed XML.
            }

            return root;
        }
        catch (XmlException e)
        {
            throw ApiException.BadRequest(
                "Body",
                $"The body is not well-formed XML, or declares a DTD, which is refused (line {e.LineNumber}, position {e.LinePosition}).");
        }
    }

    /// <summary>Positioned on an element: returns null (nil), a string (text or empty) or an object (child elements).</summary>
    private static JsonNode? ReadValue(XmlReader reader, int depth, ref int elements)
    {
        if (depth > RequestDocument.MaxDepth)
        {
            throw ApiException.BadRequest("Body", "The XML body is nested too deeply.");
        }

        // Each element becomes a node of about 100 bytes; a cap keeps a body's cost near its size.
        if (++elements > MaxElements)
        {
            throw ApiException.BadRequest("Body", $"The XML body has more than {MaxElements} elements; no request of this API needs as many.");
        }

        var nil = string.Equals(reader.GetAttribute("nil", XsiNamespace), "true", StringComparison.Ordinal);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return nil ? null : JsonValue.Create(string.Empty);
        }

        reader.Read();
        JsonNode? value;
        if (reader.NodeType == XmlNodeType.EndElement)
        {
            // Whitespace-only content, which the reader skips.
            value = JsonValue.Create(string.Empty);
        }
        else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
        {
            value = JsonValue.Create(reader.ReadContentAsString());
            if (reader.NodeType != XmlNodeType.EndElement)
            {
                throw ApiException.BadRequest("Body", "An XML element mixes text with child elements.");
            }
        }
        else
        {
            var obj = new JsonObject(RequestDocument.NodeOptions);
            while (reader.NodeType == XmlNodeType.Element)
            {
                var name = reader.LocalName;
                if (obj.ContainsKey(name))
                {
                    throw ApiException.BadRequest(name, $"The XML element <{name}> appears more than once.");
                }

                obj[name] = ReadValue(reader, depth + 1, ref elements);
            }

            if (reader.NodeType != XmlNodeType.EndElement)
            {
                throw ApiException.BadRequest("Body", "An XML element mixes text with child elements.");
            }

            value = obj;
        }

        reader.ReadEndElement();
        return nil ? null : value;
    }
}
