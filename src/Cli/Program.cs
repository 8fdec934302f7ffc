using PresenceFunctions.Cli;

return await PresenceCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
