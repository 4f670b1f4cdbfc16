namespace Builder.Vm;

/// <summary>How a VM run ended.</summary>
public enum VmOutcome
{
    /// <summary>The guest built the package and its output passed every check.</summary>
    Succeeded,

    /// <summary>The guest reported a non-zero exit status (build-deps, dpkg-buildpackage, …); see the log.</summary>
    BuildFailed,

    /// <summary>The wall-clock limit (Vm:Timeout) passed; the VM was killed.</summary>
    Timeout,

    /// <summary>The caller cancelled; the VM was killed.</summary>
    Cancelled,

    /// <summary>qemu failed or the guest stopped without a result.</summary>
    Crashed,

    /// <summary>The output disk broke a rule (path, type, size, count, .changes checksums); nothing of it was kept.</summary>
    OutputRejected,
}
