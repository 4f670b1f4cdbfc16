using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>
/// Dangerous options sent by the real distcc client (the forms it passes through): refused with status 1 and a SERR
/// line, compiled locally by the client, recorded, and never seen by a farm host. (The client expands @file itself
/// before sending, so a raw @file is tested in <see cref="GatewayRawSocketTests"/>.)
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class GatewayRefusalTests
{
    public static TheoryData<string[], string> DangerousForms => new()
    {
        { ["-wrapper", "/usr/bin/env"], "option '-wrapper' (argument 1) is refused: -wrapper runs a program on the farm host" },
        { ["--specs=SPECS"], "option '--specs=SPECS' (argument 1) is refused: spec files change what the compiler driver runs" },
        { ["-B", "DIR"], "option '-B' (argument 1) is refused: -B changes where the compiler driver finds its programs" },
        { ["-save-temps"], "option '-save-temps' (argument 1) is refused: it writes files on the farm host" },
        { ["-fdump-tree-all"], "option '-fdump-tree-all' (argument 1) is refused: it writes files on the farm host" },
        { ["-fdump-tree-original=DIR/dump"], "option '-fdump-tree-original=DIR/dump' (argument 1) is refused: it writes files on the farm host" },
        { ["-fopt-info-all=DIR/opt"], "option '-fopt-info-all=DIR/opt' (argument 1) is refused: it writes files on the farm host" },
        { ["-Xassembler", "-a=DIR/listing"], "option '-Xassembler' (argument 1) is refused: options passed to a sub-program bypass the gateway's checks" },
        { ["-Wa,--noexecstack"], "option '-Wa,--noexecstack' (argument 1) is refused: options passed to the assembler bypass the gateway's checks" },
        { ["-aux-info", "DIR/aux"], "option '-aux-info' (argument 1) is refused: it writes files on the farm host" },
        { ["-x", "c"], "'-x c' is refused: only preprocessed input (-x cpp-output, -x c++-cpp-output) is compiled on the farm" },
        { ["--sysroot=/"], "option '--sysroot=/' (argument 1) is refused: it names a directory on the farm host" },
        { ["-iplugindir=DIR"], "option '-iplugindir=DIR' (argument 1) is refused: plugins load code into the farm's compiler" },
        { ["-fprofile-dir=DIR"], "option '-fprofile-dir=DIR' (argument 1) is refused: profile options read or write files on the farm host" },
        { ["-fstack-usage"], "option '-fstack-usage' (argument 1) is refused: it writes files on the farm host" },
        { ["-fmodules-ts"], "option '-fmodules-ts' (argument 1) is refused: C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { ["-fmodule-mapper=DIR/map"], "option '-fmodule-mapper=DIR/map' (argument 1) is refused: C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { ["-fcallgraph-info"], "option '-fcallgraph-info' (argument 1) is refused: it writes files on the farm host" },
        { ["-gsplit-dwarf"], "option '-gsplit-dwarf' (argument 1) is refused: split DWARF writes a .dwo file on the farm host" },
    };

    [Theory]
    [MemberData(nameof(DangerousForms))]
    public async Task A_dangerous_option_from_the_real_client_is_refused_compiled_locally_and_never_reaches_a_farm_host(string[] options, string reason)
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-refuse");
        var token = "r" + Guid.NewGuid().ToString("N")[..10];
        await File.WriteAllTextAsync(Path.Combine(dir, token + ".c"), "int refused_unit(int x) { return x * 2; }\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "SPECS"), "");
        Directory.CreateDirectory(Path.Combine(dir, "DIR"));
        var args = options.Select(o => o.Replace("DIR", Path.Combine(dir, "DIR"), StringComparison.Ordinal)).ToList();
        reason = reason.Replace("DIR", Path.Combine(dir, "DIR"), StringComparison.Ordinal);
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(11, CancellationToken.None);
        var env = DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), fallback: true);
        env["DISTCC_BACKOFF_PERIOD"] = "0";

        var r = await TestProcess.RunAsync("distcc", ["gcc", .. args, "-c", token + ".c", "-o", token + ".o"], dir, env);
        await listener.CloseAsync(CancellationToken.None);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(Path.Combine(dir, token + ".o")), "the client compiled it locally");
        var record = Assert.Single(farm.Sink.Records);
        Assert.Equal(CompileOutcomes.Refused, record.Outcome);
        Assert.Equal(reason, record.Reason);
        Assert.Null(record.Host);
        Assert.Equal(0, record.Attempts);
        Assert.Contains(token + ".c", record.Argv);
        Assert.All(FarmTestEnvironment.Logs(), log => Assert.DoesNotContain(token, DistccdProcess.ReadShared(log), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_absolute_output_path_from_the_real_client_is_refused()
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-abs");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "int a(void) { return 1; }\n");
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(12, CancellationToken.None);
        var env = DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), fallback: true);
        env["DISTCC_BACKOFF_PERIOD"] = "0";
        var output = Path.Combine(dir, "abs.o");

        var r = await TestProcess.RunAsync("distcc", ["gcc", "-c", "a.c", "-o", output], dir, env);
        await listener.CloseAsync(CancellationToken.None);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"output '{output}' is refused: absolute paths are not allowed", Assert.Single(farm.Sink.Records).Reason);
    }

    [Fact]
    public async Task After_a_refusal_the_next_job_still_goes_to_the_gateway_when_the_client_backoff_is_off()
    {
        var dir = FarmTestEnvironment.NewDirectory("farm-nobackoff");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "int a(void) { return 1; }\n");
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(13, CancellationToken.None);
        var env = DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), fallback: true);
        env["DISTCC_BACKOFF_PERIOD"] = "0";

        var refused = await TestProcess.RunAsync("distcc", ["gcc", "-save-temps", "-c", "a.c", "-o", "a.o"], dir, env);
        env["DISTCC_FALLBACK"] = "0"; // now only a farm compile can succeed
        var next = await TestProcess.RunAsync("distcc", ["gcc", "-O2", "-c", "a.c", "-o", "b.o"], dir, env);
        await listener.CloseAsync(CancellationToken.None);

        Assert.True(refused.ExitCode == 0, refused.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal([CompileOutcomes.Refused, CompileOutcomes.Compiled], farm.Sink.Records.Select(r => r.Outcome));
    }

    [Fact]
    public async Task A_one_second_client_backoff_bounds_a_refusal_and_a_dead_gateway_to_local_compiles()
    {
        // What the guest should use: distcc 3.4 with back-off off retries a host that drops connections forever
        // (compile.c: bad_host → goto choose_host), with the stock 60 s a refusal costs a minute of local compiles.
        var dir = FarmTestEnvironment.NewDirectory("farm-backoff1");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "int a(void) { return 1; }\n");
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        var listener = await farm.Gateway.OpenAsync(15, CancellationToken.None);
        var env = DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), fallback: true);
        env["DISTCC_BACKOFF_PERIOD"] = "1";

        var refused = await TestProcess.RunAsync("distcc", ["gcc", "-save-temps", "-c", "a.c", "-o", "a.o"], dir, env);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // let the one-second back-off pass (distcc compares whole seconds)
        env["DISTCC_FALLBACK"] = "0";
        var next = await TestProcess.RunAsync("distcc", ["gcc", "-O2", "-c", "a.c", "-o", "b.o"], dir, env);
        await listener.DisposeAsync();
        env["DISTCC_FALLBACK"] = "1";
        var closed = await TestProcess.RunAsync("distcc", ["gcc", "-O2", "-c", "a.c", "-o", "c.o"], dir, env, timeout: TimeSpan.FromMinutes(2));

        Assert.True(refused.ExitCode == 0, refused.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.True(closed.ExitCode == 0 && File.Exists(Path.Combine(dir, "c.o")), closed.ToString());
        Assert.Equal([CompileOutcomes.Refused, CompileOutcomes.Compiled], farm.Sink.Records.Select(r => r.Outcome));
    }

    [Fact]
    public async Task With_the_stock_client_backoff_a_refusal_makes_the_client_skip_the_gateway_for_its_backoff_period()
    {
        // distcc 3.4 marks a host it got a non-zero STAT from as disliked (compile.c: goto fallback → bad_host), so
        // without DISTCC_BACKOFF_PERIOD=0 the guest compiles locally for 60 s after any refusal. This pins that fact.
        var dir = FarmTestEnvironment.NewDirectory("farm-backoff");
        await File.WriteAllTextAsync(Path.Combine(dir, "a.c"), "int a(void) { return 1; }\n");
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(14, CancellationToken.None);
        var env = DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc"), fallback: true);

        var refused = await TestProcess.RunAsync("distcc", ["gcc", "-save-temps", "-c", "a.c", "-o", "a.o"], dir, env);
        var next = await TestProcess.RunAsync("distcc", ["gcc", "-O2", "-c", "a.c", "-o", "b.o"], dir, env);
        await listener.CloseAsync(CancellationToken.None);

        Assert.True(refused.ExitCode == 0 && next.ExitCode == 0, refused + "\n" + next);
        Assert.Equal([CompileOutcomes.Refused], farm.Sink.Records.Select(r => r.Outcome));
    }
}
