using Builder.Core.Pockets;
using Builder.Daemon.Hosting;

namespace Builder.Daemon.Tests.Hosting;

public sealed class PocketsOptionsValidatorTests
{
    [Fact]
    public void No_pocket_at_all_is_an_error()
    {
        var result = new PocketsOptionsValidator().Validate(null, new PocketsOptions());

        Assert.Equal(
            ["Pockets is empty: configure at least one pocket (e.g. \"Pockets\": { \"dev\": { \"Branch\": \"dev\" } })"], result.Failures);
    }

    [Fact]
    public void Every_bad_pocket_key_is_reported_at_once_by_name()
    {
        var options = new PocketsOptions
        {
            ["dev"] = new PocketOptions { Branch = "dev" },
            ["Bad_Name"] = new PocketOptions { Branch = " " },
            ["prod"] = new PocketOptions { Branch = "main", CopyFrom = { "dev", "dev", "staging" }, BuildDepsFrom = { "prod" } },
        };

        var result = new PocketsOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            $"Pockets:Bad_Name: 'Bad_Name' is not a valid pocket name ([a-z0-9][a-z0-9-]*, at most {PocketNames.MaxLength} characters)",
            "Pockets:Bad_Name:Branch is required",
            "Pockets:prod:CopyFrom:1: 'dev' is listed twice",
            "Pockets:prod:CopyFrom:2: 'staging' is not a configured pocket",
            "Pockets:prod:BuildDepsFrom:0: 'prod' names the pocket itself; a pocket always trusts its own repository",
        ], result.Failures);
    }
}
