using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PresenceFunctions.Cli.Bench;

/// <summary>Where a started benchmark host listens (it binds port 0), as a base address with a trailing slash for relative paths.</summary>
public static class LoopbackAddress
{
    public static Uri Of(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }
}
