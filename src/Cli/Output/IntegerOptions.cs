using System.CommandLine;
using System.Globalization;

namespace PresenceFunctions.Cli.Output;

/// <summary>Range checks for integer options that never throw on a value that is not a number.</summary>
public static class IntegerOptions
{
    /// <summary>
    /// An error when the option's value is an integer below <paramref name="minimum"/>. A value that is no integer at
    /// all is left to the parser's own error: reading it as one in a validator throws, and the command would crash.
    /// </summary>
    public static T AtLeast<T>(this T option, int minimum, string message)
        where T : Option
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1
                && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && value < minimum)
            {
                result.AddError(message);
            }
        });
        return option;
    }
}
