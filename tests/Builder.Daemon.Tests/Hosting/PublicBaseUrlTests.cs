using Builder.Daemon.Hosting;
using Builder.Daemon.Tests.Support;
using Builder.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Daemon.Tests.Hosting;

public sealed class PublicBaseUrlTests
{
    [Theory]
    [InlineData("https://builder.example.org", "http://127.0.0.1:8600", "https://builder.example.org/")]
    [InlineData("https://builder.example.org/ci/", "http://127.0.0.1:8600", "https://builder.example.org/ci/")]
    [InlineData(null, "http://127.0.0.1:41234", "http://127.0.0.1:41234/")]
    [InlineData(null, "http://0.0.0.0:8600", "http://builder1:8600/")]
    [InlineData(null, "http://[::]:8600", "http://builder1:8600/")]
    [InlineData(null, "http://*:8600", "http://builder1:8600/")]
    [InlineData("", "http://+:8600", "http://builder1:8600/")]
    public void Links_use_the_public_url_else_the_listening_address_with_a_wildcard_host_named(string? publicUrl, string bound, string expected) =>
        Assert.Equal(new Uri(expected), PublicBaseUrl.Resolve(publicUrl, [bound], "http://127.0.0.1:8600", "builder1"));

    [Fact]
    public void Without_a_listening_address_the_first_configured_url_is_used() =>
        Assert.Equal(new Uri("http://builder.internal:8600/"),
            PublicBaseUrl.Resolve(null, [], "http://builder.internal:8600; http://127.0.0.1:8601", "builder1"));

    [Fact]
    [Trait(Categories.Name, Categories.Integration)]
    public async Task A_daemon_on_port_0_links_to_the_port_it_really_listens_on()
    {
        var host = new DaemonHost();
        await host.InitializeAsync();
        try
        {
            var url = host.Services.GetRequiredService<PublicBaseUrl>().BuildUrl(7);
            Assert.Equal(new Uri(host.BaseAddress, "api/v1/builds/7"), url);
            Assert.NotEqual(0, url.Port);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
