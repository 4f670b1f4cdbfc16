using Builder.Core.Pockets;
using Builder.Daemon.Hosting;
using Builder.Daemon.Pipeline;

namespace Builder.Daemon.Tests.Pipeline;

public sealed class FarmPoolChoiceTests
{
    private static readonly PocketsOptions Pockets = new()
    {
        ["dev"] = new PocketOptions { FarmPool = "dev-farm" },
        ["prod"] = new PocketOptions { FarmPool = "prod-farm" },
        ["rc"] = new PocketOptions(),
    };

    [Theory]
    [InlineData("dev", "dev-farm")]
    [InlineData("prod", "prod-farm")]
    [InlineData("rc", "default")]
    public void A_build_s_jobs_go_to_its_pocket_s_farm_pool_or_the_default_pool(string pocket, string pool) =>
        Assert.Equal(pool, FarmPoolChoice.For(Pockets, pocket));
}
