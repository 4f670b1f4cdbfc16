using System.Text.RegularExpressions;
using Builder.Core.Options;
using Builder.Farm.Policy;
using Builder.Farm.Pool;
using Microsoft.Extensions.Options;

namespace Builder.Farm;

/// <summary>Checks the whole <c>Farm</c> section and reports every error at once, each naming its key.</summary>
internal sealed partial class FarmOptionsValidator : IValidateOptions<FarmOptions>
{
    public ValidateOptionsResult Validate(string? name, FarmOptions options)
    {
        var errors = new OptionsErrors();
        if (options.Pools.Count == 0)
        {
            if (options.Hosts.Count == 0)
            {
                errors.Add("Farm:Hosts is empty: list the farm distccd hosts as host:port/slots (or name pools in Farm:Pools)");
            }
            HostList(errors, "Farm:Hosts", options.Hosts);
        }
        else
        {
            if (options.Hosts.Count > 0)
            {
                errors.Add("Farm:Hosts and Farm:Pools are both set: with pools, list every host in its pool (Farm:Hosts is the pool 'default' only when Farm:Pools is unset)");
            }
            var poolOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (pool, hosts) in options.Pools)
            {
                if (!PoolName().IsMatch(pool))
                {
                    errors.Add($"Farm:Pools:{pool}: '{pool}' is not a valid pool name ([a-z0-9][a-z0-9-]*, at most 63 characters)");
                }
                if (hosts.Count == 0)
                {
                    errors.Add($"Farm:Pools:{pool} is empty: list its farm distccd hosts as host:port/slots");
                }
                HostList(errors, $"Farm:Pools:{pool}", hosts);
                foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (FarmHostEndpoint.TryParse(host, out var e, out _) && !poolOf.TryAdd(e!.Name, pool))
                    {
                        errors.Add($"Farm:Pools:{pool}: host {e.Name} is also in pool '{poolOf[e.Name]}': a farm host belongs to one pool");
                    }
                }
            }
        }
        foreach (var (client, farm) in options.Compilers)
        {
            if (!CompilerMap.IsPlainName(client))
            {
                errors.Add($"Farm:Compilers:{client}: a client compiler name must be a plain name ([A-Za-z0-9._+-], no '/')");
            }
            if (!CompilerMap.IsPlainName(farm))
            {
                errors.Add($"Farm:Compilers:{client}: '{farm}' must be a plain compiler name without '/' (distccd runs only masqueraded names)");
            }
        }
        if (!CompilerMap.IsPlainName(options.HealthCheckCompiler))
        {
            errors.Add($"Farm:HealthCheckCompiler '{options.HealthCheckCompiler}' must be a plain compiler name");
        }
        for (var i = 0; i < options.ExtraAllowedOptions.Count; i++)
        {
            var option = options.ExtraAllowedOptions[i];
            if (FileNamingOptions.Reason(option) is { } why)
            {
                errors.Add($"Farm:ExtraAllowedOptions:{i} '{option}' cannot be allowed: {why} (the gateway refuses every option that names a file)");
            }
            else if (!JobPolicy.IsAcceptableExtraOption(option))
            {
                errors.Add($"Farm:ExtraAllowedOptions:{i} '{option}' cannot be allowed: it must start with -f, -m, -W or -g and hold no path, '=' value with '/', or ','");
            }
        }
        Range(errors, "Farm:MaxArgc", options.MaxArgc, 2, 65536);
        Range(errors, "Farm:MaxArgLength", options.MaxArgLength, 16, 1 << 20);
        Range(errors, "Farm:MaxSourceBytes", options.MaxSourceBytes, 1024, 1 << 30);
        Range(errors, "Farm:MaxDecompressedBytes", options.MaxDecompressedBytes, 1024, 1 << 30);
        Range(errors, "Farm:MaxResultBytes", options.MaxResultBytes, 1024, 1 << 30);
        Range(errors, "Farm:PerBuildConcurrency", options.PerBuildConcurrency, 1, 1024);
        Range(errors, "Farm:MaxRetries", options.MaxRetries, 0, 10);
        Range(errors, "Farm:FailuresToMarkDown", options.FailuresToMarkDown, 1, 100);
        Range(errors, "Farm:SuccessesToMarkUp", options.SuccessesToMarkUp, 1, 100);
        Range(errors, "Farm:RecordBatchSize", options.RecordBatchSize, 1, 100_000);
        Range(errors, "Farm:MaxConnectionsPerBuild", options.MaxConnectionsPerBuild, 1, 4096);
        Range(errors, "Farm:RecordQueueCapacity", options.RecordQueueCapacity, 1, 10_000_000);
        Range(errors, "Farm:MaxRecordedArgvBytes", options.MaxRecordedArgvBytes, 256, 64 << 20);
        if (options.MaxInFlightBytesPerBuild < 1 << 20 || options.MaxInFlightBytesPerBuild > 64L << 30)
        {
            errors.Add($"Farm:MaxInFlightBytesPerBuild is {options.MaxInFlightBytesPerBuild}: it must be between 1 MiB and 64 GiB");
        }
        if (options.KeepJobRecordsFor < TimeSpan.FromDays(1))
        {
            errors.Add($"Farm:KeepJobRecordsFor is {options.KeepJobRecordsFor}: it must be at least one day");
        }
        Positive(errors, "Farm:RequestTimeout", options.RequestTimeout);
        Positive(errors, "Farm:ConnectTimeout", options.ConnectTimeout);
        Positive(errors, "Farm:JobTimeout", options.JobTimeout);
        Positive(errors, "Farm:HealthInterval", options.HealthInterval);
        Positive(errors, "Farm:HealthTimeout", options.HealthTimeout);
        if (options.RecordFlushInterval < TimeSpan.Zero || options.RecordFlushInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Farm:RecordFlushInterval is {options.RecordFlushInterval}: it must be between zero and one minute");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void HostList(OptionsErrors errors, string key, IList<string> hosts)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!FarmHostEndpoint.TryParse(hosts[i], out _, out var error))
            {
                errors.Add($"{key}:{i} {error}");
            }
        }
        if (hosts.Distinct(StringComparer.OrdinalIgnoreCase).Count() != hosts.Count)
        {
            errors.Add($"{key} lists a host twice");
        }
    }

    private static void Range(OptionsErrors errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} is {value}: it must be between {min} and {max}");
        }
    }

    private static void Positive(OptionsErrors errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            errors.Add($"{key} is {value}: it must be positive and at most one day");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex PoolName();
}
