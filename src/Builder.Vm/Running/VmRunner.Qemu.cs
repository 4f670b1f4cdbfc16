using System.Diagnostics;
using Builder.Core.Processes;
using Builder.Vm.Jobs;
using Builder.Vm.Qemu;

namespace Builder.Vm.Running;

internal sealed partial class VmRunner
{
    private async Task<QemuRun> RunQemuAsync(QemuLaunch launch, VmOptions options, VmJob job, RunPaths paths, CancellationToken cancellationToken)
    {
        var (fileName, arguments) = QemuCommandLine.Build(launch, options);
        var start = _time.GetTimestamp();
        using var tethered = await TetheredProcess.StartAsync(new ProcessCommand(fileName, arguments).ToStartInfo());
        var process = tethered.Process;
        // stdin stays open and silent: the guest gets no input from the host's console.
        var console = new ConsoleCapture(process.StandardOutput.BaseStream, paths.ConsoleLog, options.MaxConsoleLog, job.LogLine, _time);
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
            await KillAsync(process, paths.QmpSocket, options, job.BuildId);
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

    // QMP "quit" stops the VM at once (no guest cooperation needed); SIGKILL if qemu does not exit in time.
    private async Task KillAsync(Process process, string qmpSocket, VmOptions options, long buildId)
    {
        using var grace = new CancellationTokenSource(options.KillGrace, _time);
        try
        {
            await QmpClient.ExecuteAsync(qmpSocket, "quit", grace.Token);
            await process.WaitForExitAsync(grace.Token);
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or InvalidDataException
            or System.Text.Json.JsonException)
        {
            Log.KillFallback(_logger, buildId, e.Message);
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
    }
}
