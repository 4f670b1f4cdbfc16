using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>The real distcc client → gateway → the two real distccd hosts that ops/test starts.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class GatewayDistccTests
{
    [Fact]
    public async Task A_multi_file_project_built_with_make_through_the_gateway_matches_direct_gcc_and_uses_both_hosts()
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-make");
        var project = CProject.Create(dir, files: 16);
        await project.CompileDirectAsync();
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(7, CancellationToken.None);

        var make = await TestProcess.RunAsync("make", ["-j6", "CC=distcc gcc", "CFLAGS=" + CProject.Flags], dir,
            DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), slots: 6));
        var summary = await listener.CloseAsync(CancellationToken.None);

        Assert.True(make.ExitCode == 0, make.ToString());
        project.AssertObjectsMatchDirect();
        var logs = FarmTestEnvironment.Logs();
        List<int> JobsPerLog() => [.. logs.Select(l => DistccdProcess.ReadShared(l).Split('\n')
            .Count(line => line.Contains("COMPILE_OK", StringComparison.Ordinal) && line.Contains(project.Token, StringComparison.Ordinal)))];
        // distccd logs a job's summary line after it sent the answer, so the last lines may trail make's exit.
        for (var i = 0; i < 600 && JobsPerLog().Sum() < 16; i++)
        {
            await Task.Delay(50);
        }
        var jobsPerLog = JobsPerLog();
        Assert.Equal(16, jobsPerLog.Sum());
        Assert.All(jobsPerLog, n => Assert.True(n > 0, $"jobs per farm host: {string.Join(", ", jobsPerLog)}"));

        var records = farm.Sink.Records;
        Assert.Equal(16, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(CompileOutcomes.Compiled, r.Outcome);
            Assert.Equal(7, r.BuildId);
            Assert.Equal("x86_64-linux-gnu-gcc-12", r.Compiler);
            Assert.Equal(["x86_64-linux-gnu-gcc-12", "-O2", "-Wall", "-c", "-o"], r.Argv.Take(5));
            Assert.Equal(64, r.InputSha256!.Length);
        });
        Assert.Equal(Enumerable.Range(1, 16), records.Select(r => r.Seq));
        // The output hash is over the object the client received, i.e. the file make wrote.
        foreach (var r in records)
        {
            var obj = File.ReadAllBytes(Path.Combine(dir, r.Argv[^2]));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(obj)), r.OutputSha256);
        }
        Assert.Equal(new CompileSummary(16, CompileJobDigest.Of(records)), summary);
    }

    [Fact]
    public async Task Protocol_2_jobs_with_LZO_compile_through_the_gateway_byte_identical()
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-lzo");
        var project = CProject.Create(dir, files: 3);
        await project.CompileDirectAsync();
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(8, CancellationToken.None);
        var env = DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), lzo: true);

        foreach (var u in project.Units)
        {
            var r = await TestProcess.RunAsync("distcc", ["gcc-12", .. CProject.Flags.Split(' '), "-c", u + ".c", "-o", u + ".o"], dir, env);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        await listener.CloseAsync(CancellationToken.None);

        project.AssertObjectsMatchDirect();
        Assert.Equal(3, farm.Sink.Records.Count(r => r.Outcome == CompileOutcomes.Compiled));
    }

    [Fact]
    public async Task A_compile_error_on_the_farm_is_relayed_to_the_client()
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-error");
        await File.WriteAllTextAsync(Path.Combine(dir, "broken.c"), "int f(void) { return undeclared_thing; }\n");
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(9, CancellationToken.None);

        var r = await TestProcess.RunAsync("distcc", ["gcc", "-c", "broken.c", "-o", "broken.o"], dir,
            DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc")));
        await listener.CloseAsync(CancellationToken.None);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("undeclared_thing", r.Error, StringComparison.Ordinal);
        Assert.Contains("error:", r.Error, StringComparison.Ordinal);
        var record = Assert.Single(farm.Sink.Records);
        Assert.Equal(CompileOutcomes.CompileFailed, record.Outcome);
        Assert.Equal(0x100u, record.Status);
        Assert.Null(record.OutputSha256);
    }
}
