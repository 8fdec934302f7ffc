namespace PresenceFunctions.Cli.Output;

/// <summary>What <c>presence</c> exits with, for scripts.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Nothing to act on: no such user or ticket; or storage, Azurite or Azure failed.</summary>
    public const int Failed = 1;

    /// <summary>The command line or its input is wrong: an unknown option, a bad value, a missing or malformed file.</summary>
    public const int BadInput = 2;
}
