using Builder.Daemon.Apt;
using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Apt;

public sealed class BuildDepsOptionsValidatorTests
{
    [Fact]
    public void Existing_source_files_and_an_http_proxy_are_valid()
    {
        var options = new BuildDepsOptions { Proxy = "http://proxy.example.org:3128/" };
        options.SourceFiles.Add(Touch("debian.sources"));

        var result = new BuildDepsOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Each_missing_source_file_is_reported_with_its_index_and_path_beside_the_other_errors()
    {
        var dir = TestEnvironment.NewTempDirectory("build-deps-options");
        var options = new BuildDepsOptions { CacheDirectory = " ", Proxy = "ftp://proxy.example.org/" };
        options.SourceFiles.Add(Path.Combine(dir, "missing.sources"));
        options.SourceFiles.Add(Touch("debian.sources"));
        options.SourceFiles.Add(Path.Combine(dir, "backports.list"));

        var result = new BuildDepsOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            $"BuildDeps:SourceFiles:0 names a file that does not exist ('{Path.Combine(dir, "missing.sources")}')",
            $"BuildDeps:SourceFiles:2 names a file that does not exist ('{Path.Combine(dir, "backports.list")}')",
            "BuildDeps:CacheDirectory is required",
            "BuildDeps:Proxy must be empty or an http:// or https:// URL (e.g. \"http://proxy.example.org:3128/\")",
        ], result.Failures);
    }

    [Theory]
    [InlineData("http://proxy\";Dir \"/tmp")]
    [InlineData("http://proxy.example.org:3128/\n")]
    [InlineData("proxy.example.org:3128")]
    public void A_proxy_that_would_break_apt_conf_is_refused_without_repeating_it(string proxy)
    {
        var options = new BuildDepsOptions { Proxy = proxy };
        options.SourceFiles.Add(Touch("debian.sources"));

        var result = new BuildDepsOptionsValidator().Validate(null, options);

        Assert.Equal(
            ["BuildDeps:Proxy must be empty or an http:// or https:// URL (e.g. \"http://proxy.example.org:3128/\")"], result.Failures);
    }

    private static string Touch(string name)
    {
        var path = Path.Combine(TestEnvironment.NewTempDirectory("build-deps-options"), name);
        File.WriteAllText(path, "");
        return path;
    }
}
