using System.Globalization;
using System.Runtime;
using Builder.Farm.Gateway;
using Builder.Farm.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Farm.GatewayHost;

internal static class BenchGateway
{
    public static async Task RunAsync(IServiceProvider services, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        using var durations = new JobDurations();
        var gateway = services.GetRequiredService<IFarmGateway>();
        await using var listener = await gateway.OpenAsync(0, cancellationToken);
        await output.WriteLineAsync($"port {listener.Endpoint.Port}");
        await output.FlushAsync(cancellationToken);
        // A "mark" line ends the warm-up: CPU time and per-job timings count from there (JIT and first connections
        // belong to the warm-up, which the bench does not time either).
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gcBefore = GcCounts();
        var jitBefore = (Methods: JitInfo.GetCompiledMethodCount(), Time: JitInfo.GetCompilationTime());
        var warmupJobs = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == "mark")
            {
                cpuBefore = Environment.CpuUsage.TotalTime;
                allocatedBefore = GC.GetTotalAllocatedBytes();
                gcBefore = GcCounts();
                jitBefore = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
                warmupJobs = durations.Jobs.Count;
            }
        }
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var gcs = GcCounts().Zip(gcBefore, (after, before) => after - before).ToArray();
        var jit = (Methods: JitInfo.GetCompiledMethodCount() - jitBefore.Methods, Time: JitInfo.GetCompilationTime() - jitBefore.Time);
        var summary = await listener.CloseAsync(cancellationToken);
        var jobs = durations.Jobs.Skip(warmupJobs).ToArray();
        var added = jobs.Select(j => j.Added).Order().ToArray();
        var withStreaming = jobs.Select(j => j.WithStreaming).Order().ToArray();
        var sink = (CountingSink)services.GetRequiredService<ICompileJobSink>();
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"jobs {summary.Count} digest {summary.Digest}"));
        await output.WriteLineAsync("outcomes " + string.Join(' ', sink.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));
        await output.WriteLineAsync(string.Create(inv, $"cpu_ms total {cpu.TotalMilliseconds:0} per_job {(added.Length > 0 ? cpu.TotalMilliseconds / added.Length : 0):0.000}"));
        await output.WriteLineAsync(string.Create(inv,
            $"alloc_kb per_job {(added.Length > 0 ? allocated / 1024.0 / added.Length : 0):0.0} gc gen0 {gcs[0]} gen1 {gcs[1]} gen2 {gcs[2]} jit methods {jit.Methods} ms {jit.Time.TotalMilliseconds:0}"));
        await output.WriteLineAsync(string.Create(inv, $"added_ms p50 {Percentile(added, 0.50):0.000} p99 {Percentile(added, 0.99):0.000} max {(added.Length > 0 ? added[^1] : 0):0.000} n {added.Length}"));
        await output.WriteLineAsync(string.Create(inv,
            $"streaming_ms p50 {Percentile(withStreaming, 0.50):0.000} p99 {Percentile(withStreaming, 0.99):0.000} max {(withStreaming.Length > 0 ? withStreaming[^1] : 0):0.000}"));
    }

    private static int[] GcCounts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
