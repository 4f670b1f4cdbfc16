namespace Builder.Vm;

/// <summary>How qemu executes the guest (<c>Vm:Accelerator</c>).</summary>
public enum VmAccelerator
{
    /// <summary>KVM when <c>/dev/kvm</c> is usable, otherwise TCG (the choice is logged).</summary>
    Auto,

    /// <summary>Hardware virtualisation; the run fails if <c>/dev/kvm</c> is not usable.</summary>
    Kvm,

    /// <summary>qemu's software emulator: roughly 1/15 of native speed, but needs no hardware support.</summary>
    Tcg,
}
