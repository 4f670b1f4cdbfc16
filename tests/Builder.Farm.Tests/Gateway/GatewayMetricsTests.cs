using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Builder.Farm.Diagnostics;
using Builder.Farm.Records;
using Builder.Farm.Tests.Support;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Gateway;

/// <summary>The gateway's instruments, as a MeterListener (the bench's stand-alone gateway's, an operator's exporter) sees them.</summary>
[Trait(Categories.Name, Categories.Integration)]
[Collection(QuietProcessCollection.Name)]
public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task A_compiled_job_records_each_phase_on_the_farm_meters_job_duration_histogram()
    {
        var seen = new ConcurrentQueue<(string Meter, string Instrument, string? Unit, string? Phase, double Seconds)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FarmMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, seconds, tags, _) =>
        {
            var phase = tags.ToArray().Where(t => t.Key == "phase").Select(t => t.Value as string).SingleOrDefault();
            seen.Enqueue((instrument.Meter.Name, instrument.Name, instrument.Unit, phase, seconds));
        });
        meters.Start();
        var dir = FarmTestEnvironment.NewDirectory("farm-metrics");
        var project = CProject.Create(dir, files: 1);
        await using var farm = new TestGateway(FarmTestEnvironment.Hosts());
        await using var listener = await farm.Gateway.OpenAsync(11, CancellationToken.None);

        var unit = project.Units.Single();
        var r = await TestProcess.RunAsync("distcc", ["gcc-12", .. CProject.Flags.Split(' '), "-c", unit + ".c", "-o", unit + ".o"], dir,
            DistccClient.Environment(listener.Endpoint.Port, Path.Combine(dir, ".distcc")));
        await listener.CloseAsync(CancellationToken.None);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(CompileOutcomes.Compiled, Assert.Single(farm.Sink.Records).Outcome);
        // No other gateway runs beside this test (its collection): exactly this job's two phases, gateway first.
        Assert.Collection(seen,
            m => Assert.Equal(("Builder.Farm", "builder.farm.job.duration", "s", "gateway"), (m.Meter, m.Instrument, m.Unit, m.Phase)),
            m => Assert.Equal(("Builder.Farm", "builder.farm.job.duration", "s", "answer_streaming"), (m.Meter, m.Instrument, m.Unit, m.Phase)));
        Assert.All(seen, m => Assert.InRange(m.Seconds, 0, 600));
    }
}
