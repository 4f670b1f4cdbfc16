using System.Diagnostics;
using Builder.Core.Processes;
using Builder.Vm.Isolation;
using Builder.Vm.Jobs;
using Builder.Vm.Qemu;

namespace Builder.Vm.Running;

internal sealed partial class VmRunner
{
    private async Task<QemuRun> RunQemuAsync(QemuLaunch launch, VmOptions options, VmJob job, RunPaths paths, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        using var tethered = await TetheredProcess.StartAsync(QemuCommandLine.Command(launch, options).ToStartInfo());
        var process = tethered.Process;
        // stdin stays open and silent: the guest gets no input from the host's console.
        var console = new ConsoleCapture(process.StandardOutput.BaseStream, paths.ConsoleLog, options.MaxConsoleLog, job.LogLine, _time, _logger, job.BuildId,
            job.MaxLogLine);
        var consoleTask = console.RunAsync(CancellationToken.None);
        var stderr = new BoundedOutput(MaxStderr);
        var stderrTask = stderr.ReadToEndAsync(process.StandardError);
        VmOutcome? killedFor = null;
        using var timeout = new CancellationTokenSource(options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            killedFor = cancellationToken.IsCancellationRequested ? VmOutcome.Cancelled : VmOutcome.Timeout;
            if (killedFor == VmOutcome.Timeout)
            {
                Log.TimedOut(_logger, job.BuildId, options.Timeout);
            }
            else
            {
                Log.Cancelled(_logger, job.BuildId);
            }
            await KillAsync(process, options, job.BuildId);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        await consoleTask;
        await stderrTask;
        return new QemuRun(start, console.ReadyTimestamp, process.ExitCode, killedFor, stderr.Text, console.LastLine);
    }

    // SIGTERM: qemu stops the VM at once and exits (no guest cooperation needed); SIGKILL if it does not in time. A
    // signal, not QMP: qemu runs as the build uid, so a QMP socket it creates would not be the daemon's to open.
    // (Signalling another uid's process takes CAP_KILL, which the daemon keeps for this.)
    private async Task KillAsync(Process process, VmOptions options, long buildId)
    {
        using var grace = new CancellationTokenSource(options.KillGrace, _time);
        try
        {
            if (Posix.Kill(process.Id, Posix.SigTerm))
            {
                await process.WaitForExitAsync(grace.Token);
                return;
            }
        }
        catch (OperationCanceledException)
        {
            Log.KillFallback(_logger, buildId, options.KillGrace);
        }
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync(CancellationToken.None);
    }
}
