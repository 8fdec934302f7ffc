using System.Runtime.InteropServices;

namespace PresenceFunctions.Cli.Azurite;

internal static partial class NativeMethods
{
    public const int SignalInterrupt = 2;

    /// <summary>POSIX kill(2): Process.Kill only sends SIGKILL, and Azurite saves its data only on SIGINT.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
