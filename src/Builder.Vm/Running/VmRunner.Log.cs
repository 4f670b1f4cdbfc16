using Microsoft.Extensions.Logging;

namespace Builder.Vm.Running;

internal sealed partial class VmRunner
{
    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Information, "Build {BuildId}: starting VM ({Accelerator}, as {User}, gateway port {GatewayPort})")]
        public static partial void Starting(ILogger logger, long buildId, string accelerator, string user, int? gatewayPort);

        [LoggerMessage(5002, LogLevel.Warning, "KVM is not usable here (/dev/kvm missing, inaccessible, or no VT-x/AMD-V): using TCG, roughly 15x slower")]
        public static partial void NoKvm(ILogger logger);

        [LoggerMessage(5003, LogLevel.Warning, "Build {BuildId}: VM ran past Vm:Timeout ({Timeout}); killing it")]
        public static partial void TimedOut(ILogger logger, long buildId, TimeSpan timeout);

        [LoggerMessage(5004, LogLevel.Information, "Build {BuildId}: cancelled; killing the VM")]
        public static partial void Cancelled(ILogger logger, long buildId);

        [LoggerMessage(5005, LogLevel.Warning, "Build {BuildId}: qemu did not exit within Vm:KillGrace ({Grace}) of SIGTERM; sending SIGKILL")]
        public static partial void KillFallback(ILogger logger, long buildId, TimeSpan grace);

        [LoggerMessage(5006, LogLevel.Warning, "Build {BuildId}: output rejected: {Reason}")]
        public static partial void Rejected(ILogger logger, long buildId, string reason);

        [LoggerMessage(5007, LogLevel.Information, "Build {BuildId}: VM finished: {Outcome} after {Seconds:F1}s {Reason}")]
        public static partial void Finished(ILogger logger, long buildId, VmOutcome outcome, double seconds, string reason);

        [LoggerMessage(5008, LogLevel.Information, "Keeping the failed build's VM disks in {Directory} for {KeepFor}")]
        public static partial void OverlayKept(ILogger logger, string directory, TimeSpan keepFor);

        [LoggerMessage(5031, LogLevel.Warning, "Build {BuildId}: the output tar ran into {Setting}: {Reason}")]
        public static partial void OutputLimitHit(ILogger logger, long buildId, string setting, string reason);

        [LoggerMessage(5009, LogLevel.Critical, "Build {BuildId}: the VM directory was changed by its build uid while the VM ran (an escaped guest?): {Entries}")]
        public static partial void Tampered(ILogger logger, long buildId, string entries);
    }
}
