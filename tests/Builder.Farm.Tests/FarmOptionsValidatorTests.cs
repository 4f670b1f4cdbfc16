namespace Builder.Farm.Tests;

public sealed class FarmOptionsValidatorTests
{
    [Fact]
    public void Defaults_with_one_host_are_valid()
    {
        var options = new FarmOptions { Hosts = { "farm1.example:3632/8" } };
        Assert.True(new FarmOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_gateway_and_record_bounds_are_checked_naming_their_keys()
    {
        var options = new FarmOptions
        {
            Hosts = { "farm1.example:3632/8" },
            MaxConnectionsPerBuild = 0,
            MaxInFlightBytesPerBuild = 1000,
            RecordQueueCapacity = 0,
            MaxRecordedArgvBytes = 10,
            KeepJobRecordsFor = TimeSpan.FromHours(1),
        };

        var result = new FarmOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            "Farm:MaxConnectionsPerBuild is 0: it must be between 1 and 4096",
            "Farm:RecordQueueCapacity is 0: it must be between 1 and 10000000",
            "Farm:MaxRecordedArgvBytes is 10: it must be between 256 and 67108864",
            "Farm:MaxInFlightBytesPerBuild is 1000: it must be between 1 MiB and 64 GiB",
            "Farm:KeepJobRecordsFor is 01:00:00: it must be at least one day",
        ], result.Failures);
    }

    [Fact]
    public void Every_error_is_reported_at_once_naming_its_key()
    {
        var options = new FarmOptions
        {
            Hosts = { "farm1:3632", "farm2:99999/2", "[::1]:3632/0" },
            Compilers = { ["gcc"] = "/usr/bin/gcc" },
            ExtraAllowedOptions = { "-fplugin=evil.so", "-fmodules-ts", "-ffoo=/etc/passwd" },
            MaxArgc = 0,
            HealthInterval = TimeSpan.Zero,
            RecordFlushInterval = TimeSpan.FromMinutes(5),
        };

        var result = new FarmOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            "Farm:Hosts:0 'farm1:3632' is not host:port/slots (e.g. 10.1.0.5:3632/8)",
            "Farm:Hosts:1 'farm2:99999/2': port must be 1..65535",
            "Farm:Hosts:2 '[::1]:3632/0': slots must be 1..1024",
            "Farm:Compilers:gcc: '/usr/bin/gcc' must be a plain compiler name without '/' (distccd runs only masqueraded names)",
            "Farm:ExtraAllowedOptions:0 '-fplugin=evil.so' cannot be allowed: plugins load code into the farm's compiler (the gateway refuses every option that names a file)",
            "Farm:ExtraAllowedOptions:1 '-fmodules-ts' cannot be allowed: C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host (the gateway refuses every option that names a file)",
            "Farm:ExtraAllowedOptions:2 '-ffoo=/etc/passwd' cannot be allowed: it must start with -f, -m, -W or -g and hold no path, '=' value with '/', or ','",
            "Farm:MaxArgc is 0: it must be between 2 and 65536",
            "Farm:HealthInterval is 00:00:00: it must be positive and at most one day",
            "Farm:RecordFlushInterval is 00:05:00: it must be between zero and one minute",
        ], result.Failures);
    }

    [Fact]
    public void No_hosts_is_an_error()
    {
        var result = new FarmOptionsValidator().Validate(null, new FarmOptions());
        Assert.Equal(["Farm:Hosts is empty: list the farm distccd hosts as host:port/slots (or name pools in Farm:Pools)"], result.Failures);
    }

    [Fact]
    public void Pools_are_valid_without_Hosts_and_Hosts_alone_are_the_pool_default()
    {
        var pools = new FarmOptions { Pools = { ["dev"] = ["farm1:3632/2"], ["prod"] = ["farm2:3632/2", "farm3:3632/2"] } };
        Assert.True(new FarmOptionsValidator().Validate(null, pools).Succeeded);
        Assert.Equal(["dev", "prod"], pools.EffectivePools().Keys.Order(StringComparer.Ordinal));

        var hosts = new FarmOptions { Hosts = { "farm1:3632/2" } };
        Assert.Equal(["farm1:3632/2"], Assert.Single(hosts.EffectivePools(), p => p.Key == "default").Value);
    }

    [Fact]
    public void Pool_errors_name_their_key_an_empty_pool_a_host_in_two_pools_and_Hosts_beside_Pools()
    {
        var options = new FarmOptions
        {
            Hosts = { "farm9:3632/2" },
            Pools =
            {
                ["dev"] = ["farm1:3632/2", "farm2:3632/2"],
                ["prod"] = ["farm2:3632/4", "farm3:3632"],
                ["empty"] = [],
                ["Bad_Pool"] = ["farm4:3632/2"],
            },
        };

        var result = new FarmOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            "Farm:Hosts and Farm:Pools are both set: with pools, list every host in its pool (Farm:Hosts is the pool 'default' only when Farm:Pools is unset)",
            "Farm:Pools:prod:1 'farm3:3632' is not host:port/slots (e.g. 10.1.0.5:3632/8)",
            "Farm:Pools:prod: host farm2:3632 is also in pool 'dev': a farm host belongs to one pool",
            "Farm:Pools:empty is empty: list its farm distccd hosts as host:port/slots",
            "Farm:Pools:Bad_Pool: 'Bad_Pool' is not a valid pool name ([a-z0-9][a-z0-9-]*, at most 63 characters)",
        ], result.Failures);
    }
}
