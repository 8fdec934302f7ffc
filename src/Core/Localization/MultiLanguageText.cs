namespace PresenceFunctions.Localization;

/// <summary>
/// SuperOffice's multi-language strings, <c>NO:"Ikke til stede";US:"Not present"</c>: resolved to the
/// requested language, else to the first variant. Text not in that form is returned as it is.
/// </summary>
public static class MultiLanguageText
{
    public static string? Resolve(string? text, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        if (text is null || languages.Count == 0 || !TryParse(text, out var variants))
        {
            return text;
        }

        // Each variant's code is normalized once, so the cost is variants + languages x variants compares.
        var codes = variants.ConvertAll(v => LanguageCodes.Normalize(v.Code));
        foreach (var language in languages)
        {
            var index = codes.IndexOf(language);
            if (index >= 0)
            {
                return variants[index].Text;
            }
        }

        return variants[0].Text;
    }

    /// <summary>Parses <c>CODE:"text"</c> pairs separated by <c>;</c>, with <c>""</c> for a quote inside text.</summary>
    public static bool TryParse(string text, out List<(string Code, string Text)> variants)
    {
        ArgumentNullException.ThrowIfNull(text);
        variants = [];
        var i = 0;
        while (true)
        {
            SkipSpaces(text, ref i);
            var start = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var code = text[start..i];
            SkipSpaces(text, ref i);
            if (code.Length is < 2 or > 3 || i >= text.Length || text[i] != ':')
            {
                return false;
            }

            i++;
            SkipSpaces(text, ref i);
            if (i >= text.Length || text[i] != '"')
            {
                return false;
            }

            var value = new System.Text.StringBuilder();
            for (i++; ; i++)
            {
                if (i >= text.Length)
                {
                    return false;
                }

                if (text[i] == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        value.Append('"');
                        i++;
                        continue;
                    }

                    i++;
                    break;
                }

                value.Append(text[i]);
            }

            variants.Add((code, value.ToString()));
            SkipSpaces(text, ref i);
            if (i == text.Length)
            {
                return true;
            }

            if (text[i] != ';')
            {
                return false;
            }

            i++;
            SkipSpaces(text, ref i);
            if (i == text.Length)
            {
                return true;
            }
        }
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }
}
