namespace PresenceFunctions.Cli;

/// <summary>
/// What the operator verbs run against: settings that win over local.settings.json and the environment,
/// where a password is read from, and what relative paths are relative to. <c>presence</c> uses the
/// defaults (none, standard input, the current directory); tests give their own tables, input and folder.
/// </summary>
public sealed record CliContext(IReadOnlyDictionary<string, string?>? Settings = null, TextReader? Input = null, string? WorkingDirectory = null)
{
    public static CliContext Default { get; } = new();

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory ?? Directory.GetCurrentDirectory());
}
