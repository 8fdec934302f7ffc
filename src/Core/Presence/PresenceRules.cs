namespace PresenceFunctions.Presence;

/// <summary>Limits every carrier must respect before it is stored.</summary>
public static class PresenceRules
{
    /// <summary>
    /// Keeps the message well inside Table Storage's 32K-character property limit, which it is
    /// written to three times in one transaction (status, history, outbox event).
    /// </summary>
    public const int MaxMessageLength = 2000;

    /// <summary>
    /// Characters that XML 1.0 cannot carry (C0 controls except tab, LF and CR, and lone surrogates)
    /// are refused so that every stored message can be answered in every response format.
    /// </summary>
    public static bool IsWritableText(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || (c < 0x20 && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF')
            {
                return false;
            }
        }

        return true;
    }
}
