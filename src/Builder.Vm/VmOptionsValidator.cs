using Builder.Core.Options;
using Builder.Vm.Isolation;
using Microsoft.Extensions.Options;

namespace Builder.Vm;

/// <summary>Checks the whole <c>Vm</c> section and reports every problem at once, each naming its key.</summary>
internal sealed class VmOptionsValidator : IValidateOptions<VmOptions>
{
    public ValidateOptionsResult Validate(string? name, VmOptions options)
    {
        var errors = new OptionsErrors();
        errors.Require(!string.IsNullOrWhiteSpace(options.ImageDirectory),
            "Vm:ImageDirectory is required (the directory ops/image/build-image printed, e.g. /var/cache/builder/images/<hash>)");
        errors.Require(options.Memory is >= 256 and <= 1 << 20, $"Vm:Memory must be 256..1048576 MiB, was {options.Memory}");
        errors.Require(options.Cpus is >= 1 and <= 64, $"Vm:Cpus must be 1..64, was {options.Cpus}");
        errors.Require(options.Timeout > TimeSpan.Zero, $"Vm:Timeout must be positive, was {options.Timeout}");
        errors.Require(options.Slots is >= 1 and <= 256, $"Scheduler:Slots (the VM slots) must be 1..256, was {options.Slots}");
        errors.Require(options.OverlaySize >= 1L << 30, $"Vm:OverlaySize must be at least 1 GiB (bytes), was {options.OverlaySize}");
        errors.Require(options.OutputSize is >= 1L << 20 and <= 64L << 30, $"Vm:OutputSize must be 1 MiB..64 GiB (bytes), was {options.OutputSize}");
        errors.Require(options.KeepFailedFor >= TimeSpan.Zero, $"Vm:KeepFailedFor must not be negative, was {options.KeepFailedFor}");
        errors.Require(Path.IsPathFullyQualified(options.WorkDirectory), $"Vm:WorkDirectory must be an absolute path, was '{options.WorkDirectory}'");
        if (options.UidRange.Length > 0)
        {
            if (UidRange.Parse(options.UidRange, out var rangeError) is { } range)
            {
                errors.Require(range.Count >= options.Slots, $"Vm:UidRange '{options.UidRange}' has {range.Count} uids, fewer than Scheduler:Slots ({options.Slots})");
            }
            else
            {
                errors.Add(rangeError!);
            }
        }
        errors.Require(Path.IsPathFullyQualified(options.UidLockDirectory), $"Vm:UidLockDirectory must be an absolute path, was '{options.UidLockDirectory}'");
        errors.Require(options.RunAs.Length == 0,
            $"Vm:RunAs ('{options.RunAs}') is no longer used: each build's qemu runs under its own uid from Vm:UidRange; remove Vm:RunAs");
        errors.Require(Enum.IsDefined(options.Accelerator), $"Vm:Accelerator must be auto, kvm or tcg, was '{options.Accelerator}'");
        errors.Require(!string.IsNullOrWhiteSpace(options.QemuPath), "Vm:QemuPath is required");
        errors.Require(!string.IsNullOrWhiteSpace(options.QemuImgPath), "Vm:QemuImgPath is required");
        errors.Require(Path.IsPathFullyQualified(options.ConnectorPath) && !options.ConnectorPath.Any(char.IsWhiteSpace),
            $"Vm:ConnectorPath must be an absolute path without spaces, was '{options.ConnectorPath}'");
        errors.Require(options.MaxArtifactSize > 0, $"Vm:MaxArtifactSize must be positive, was {options.MaxArtifactSize}");
        errors.Require(options.MaxOutputTotal >= options.MaxArtifactSize,
            $"Vm:MaxOutputTotal must be at least Vm:MaxArtifactSize, was {options.MaxOutputTotal}");
        errors.Require(options.MaxArtifacts is >= 2 and <= 100_000, $"Vm:MaxArtifacts must be 2..100000, was {options.MaxArtifacts}");
        errors.Require(options.MaxTarMetadata is >= 4096 and <= 16L << 20, $"Vm:MaxTarMetadata must be 4096..16777216 bytes, was {options.MaxTarMetadata}");
        errors.Require(options.MaxConsoleLog >= 4096, $"Vm:MaxConsoleLog must be at least 4096 bytes, was {options.MaxConsoleLog}");
        errors.Require(options.KillGrace > TimeSpan.Zero, $"Vm:KillGrace must be positive, was {options.KillGrace}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
