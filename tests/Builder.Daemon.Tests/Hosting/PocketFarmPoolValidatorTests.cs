using Builder.Core.Pockets;
using Builder.Daemon.Hosting;
using Microsoft.Extensions.Configuration;

namespace Builder.Daemon.Tests.Hosting;

public sealed class PocketFarmPoolValidatorTests
{
    [Fact]
    public void Every_pocket_whose_pool_is_missing_is_reported_at_once_by_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Farm:Pools:dev:0"] = "10.1.0.5:3632/8",
            ["Farm:Pools:prod:0"] = "10.1.0.6:3632/8",
        }).Build();
        var options = new PocketsOptions
        {
            ["dev"] = new PocketOptions { FarmPool = "dev" },
            ["prod"] = new PocketOptions { FarmPool = "production" },
            ["rc"] = new PocketOptions(),
        };

        var result = new PocketFarmPoolValidator(configuration).Validate(null, options);

        Assert.Equal(
        [
            "Pockets:prod:FarmPool: 'production' is not a farm pool (Farm:Pools has dev, prod)",
            "Pockets:rc:FarmPool is not set and Farm:Pools has no pool 'default': name this pocket's pool (dev, prod)",
        ], result.Failures);
    }
}
