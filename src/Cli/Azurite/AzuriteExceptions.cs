namespace PresenceFunctions.Cli.Azurite;

/// <summary>node_modules has no Azurite: the message says to run <c>npm ci</c>.</summary>
public sealed class AzuriteNotInstalledException(string message) : FileNotFoundException(message);

/// <summary>node could not be started (not installed, or not on PATH).</summary>
public sealed class NodeNotFoundException(string message, Exception inner) : InvalidOperationException(message, inner);

/// <summary>Azurite was started but never listened (its node exited, or 30 s passed).</summary>
public sealed class AzuriteStartException(string message) : InvalidOperationException(message);
