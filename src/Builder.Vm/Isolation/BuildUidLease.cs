namespace Builder.Vm.Isolation;

/// <summary>One build uid, held until disposed (<see cref="BuildUidAllocator"/>).</summary>
internal sealed class BuildUidLease(uint uid, FileStream lockFile) : IDisposable
{
    /// <summary>The uid, which is also the primary gid.</summary>
    public uint Uid => uid;

    public void Dispose() => lockFile.Dispose();
}
