using Builder.Daemon.Tests.Audit.Support;
using Builder.Core.Audit;
using Builder.Core.Builds;
using Builder.Tests.Common;
using Builder.Tests.Common.Audit;
using MimeKit;
using MimeKit.Cryptography;
using Npgsql;

namespace Builder.Daemon.Tests.Audit;

/// <summary>
/// The fail-closed promise, shown from two independent witnesses: the SMTP server's own Maildir timestamps and
/// the build_events table. Every build-start mail was stored by the server before its build entered 'building'.
/// </summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class BuildStartOrderTests : OwnDatabase
{
    [Fact]
    public async Task Every_build_start_mail_was_accepted_before_its_building_transition()
    {
        await using var server = await AiosmtpdProcess.StartAsync(Path.Combine(Dir, "Maildir"));
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", server.Port);
        var builds = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            // The pipeline's order: preparing → auditing → EnsureAuditedAsync → building.
            var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage($"order{i}"));
            var delivery = await kit.Trail.EnsureAuditedAsync(build, AuditTestKit.Facts, CancellationToken.None);
            Assert.True(delivery.Accepted, delivery.LastError);
            Assert.True(await kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
            builds.Add(build.Id);
        }

        // What the server stored, read from its Maildir: which build each record is for, and when it was stored.
        var stored = new Dictionary<long, DateTimeOffset>();
        foreach (var file in Maildir.Files(server.Maildir))
        {
            var signed = Assert.IsType<MultipartSigned>(Maildir.Load(file).Body);
            using var content = new MemoryStream();
            await ((TextPart)signed[0]).Content!.DecodeToAsync(content);
            var record = AuditRecordFormat.Parse(content.ToArray());
            Assert.Equal(AuditEvent.BuildStart, record.Event);
            stored.Add(record.Build, Maildir.StoredAt(file));
        }
        Assert.Equal(builds.Order(), stored.Keys.Order());

        foreach (var build in builds)
        {
            var building = Assert.Single(await kit.EventsAsync(build), e => e.ToState == "building" && e.FromState == "auditing");
            var buildingAt = new DateTimeOffset(DateTime.SpecifyKind(building.At, DateTimeKind.Utc));
            Assert.True(stored[build] < buildingAt, $"build {build}: mail stored at {stored[build]:O}, building at {buildingAt:O}");
        }
    }

    [Fact]
    public async Task The_wrong_order_is_impossible_building_before_the_audit_mail_is_refused()
    {
        await using var server = await AiosmtpdProcess.StartAsync(Path.Combine(Dir, "Maildir"));
        var kit = new AuditTestKit(Db.DataSource, await SigningCertificate.CreateAsync(Dir), "127.0.0.1", server.Port);
        var build = await kit.AuditingBuildAsync(AuditTestKit.UniquePackage("wrong"));

        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            kit.Builds.TransitionAsync(build.Id, BuildState.Auditing, BuildState.Building, null, null, null, CancellationToken.None));
        Assert.Equal("builds_audited_before_start", ex.ConstraintName);
        Assert.Empty(Maildir.Files(server.Maildir));
        Assert.DoesNotContain(await kit.EventsAsync(build.Id), e => e.ToState == "building");
    }
}
