namespace Builder.Daemon.Pipeline;

/// <summary>A stage boundary where <see cref="TestPausePoints"/> can hold a build (crash tests only).</summary>
internal enum PausePoint
{
    /// <summary>"prepared": sources, build-deps and plan are done; the build is still preparing, no audit record yet.</summary>
    Prepared,

    /// <summary>"audited": the build-start record was accepted off-site; the build is auditing, no VM started yet.</summary>
    Audited,

    /// <summary>"built": the VM finished successfully; the build is building, nothing published yet.</summary>
    Built,

    /// <summary>"included": reprepro included the package; the build is publishing, no tag, pocket head not moved.</summary>
    Included,
}
