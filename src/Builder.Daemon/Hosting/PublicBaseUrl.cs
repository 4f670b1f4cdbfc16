using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Builder.Daemon.Hosting;

/// <summary>
/// The base of the links builderd hands out (notification mail, hooks' BUILDER_WEB_URL): Http:PublicUrl when set,
/// else the address the server really listens on — so <c>http://127.0.0.1:0</c> becomes the port Kestrel picked and a
/// wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>) the machine's host name — else the first of Http:Urls.
/// </summary>
internal sealed class PublicBaseUrl(IOptions<HttpApiOptions> http, IServiceProvider services)
{
    /// <summary>The API URL of one build.</summary>
    public Uri BuildUrl(long buildId) =>
        new(Base(), string.Create(CultureInfo.InvariantCulture, $"api/v1/builds/{buildId}"));

    public Uri Base()
    {
        var bound = (services.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return Resolve(http.Value.PublicUrl, bound, http.Value.Urls, System.Net.Dns.GetHostName());
    }

    /// <summary>The rule above, without the server: <paramref name="bound"/> are the addresses the server reports.</summary>
    public static Uri Resolve(string? publicUrl, IEnumerable<string> bound, string configuredUrls, string hostName)
    {
        if (publicUrl is { Length: > 0 })
        {
            return new Uri(publicUrl.TrimEnd('/') + "/");
        }
        // Kestrel's own parser: it knows the listen forms Uri does not (http://*:8600, http://+:8600).
        var address = BindingAddress.Parse(bound.FirstOrDefault() ?? configuredUrls.Split(';', StringSplitOptions.TrimEntries)[0]);
        var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" ? hostName : address.Host;
        return new UriBuilder(address.Scheme, host, address.Port, address.PathBase.TrimEnd('/') + "/").Uri;
    }
}
