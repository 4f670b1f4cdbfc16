using Builder.Daemon.Audit;
using Builder.Daemon.Hosting;
using Builder.Daemon.Maintenance;
using Builder.Daemon.Scheduling;
using Builder.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Builder.Daemon.Tests.Scheduling;

/// <summary>
/// Quartz builds jobs from the container when they fire; a missing registration shows only as a trigger in ERROR
/// state at run time. Resolving everything a job needs, with a complete configuration, catches that here.
/// </summary>
public sealed class ServiceResolutionTests
{
    [Fact]
    public async Task The_pipeline_and_every_job_resolve_from_a_fully_configured_daemon()
    {
        var dir = TestEnvironment.NewTempDirectory("resolve");
        foreach (var f in new[] { "debian.sources" })
        {
            await File.WriteAllTextAsync(Path.Combine(dir, f), "");
        }
        var signing = TestCertificates.WriteSigningPair(dir);
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "ops", "config", "builder.json");
        await using var app = BuilderDaemon.Create(path, new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none;Username=none",
            ["Audit:SigningCertificateFile"] = signing.Certificate,
            ["Audit:SigningKeyFile"] = signing.Key,
            ["Audit:Smtp:CredentialsFile"] = null,
            ["BuildDeps:SourceFiles:0"] = Path.Combine(dir, "debian.sources"),
        });
        var services = app.Services;
        Assert.NotNull(services.GetRequiredService<IBuildPipeline>());
        Assert.NotEmpty(services.GetServices<IAuditAcceptedHandler>());
        Assert.NotEmpty(services.GetServices<IInterruptedBuildHandler>());
        // The crash tests' pause points exist only when builderd run is given --test-pause-points.
        Assert.Same(Builder.Daemon.Pipeline.TestPausePoints.None, services.GetRequiredService<Builder.Daemon.Pipeline.TestPausePoints>());
        using var scope = services.CreateScope();
        Assert.NotNull(ActivatorUtilities.CreateInstance<DispatchJob>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<RunBuildJob>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<AuditRetryJob>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<CleanupJob>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<NonceExpiryJob>(scope.ServiceProvider));
        Assert.NotNull(services.GetRequiredService<Builder.Store.Builds.ProvenanceRepository>());
        Assert.NotNull(services.GetRequiredService<Builder.Daemon.Provenance.ProvenanceFactsBuilder>());
        // The signer uses the configured audit key: its envelope verifies with Audit:SigningCertificateFile.
        var signed = services.GetRequiredService<Builder.Daemon.Provenance.ProvenanceSigner>().Sign(Builder.Tests.Common.Provenance.ProvenanceSamples.Facts());
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(signing.Certificate));
        Assert.NotEmpty(Builder.Core.Provenance.DsseEnvelope.Verify(signed.Envelope, certificate));
    }
}
