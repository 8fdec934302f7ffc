using PresenceFunctions.Cli;

return await PresenceCommandLine.RunAsync(args).ConfigureAwait(false);
