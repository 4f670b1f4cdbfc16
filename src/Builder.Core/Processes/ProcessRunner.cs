using System.ComponentModel;
using System.Diagnostics;

namespace Builder.Core.Processes;

/// <summary>
/// Runs a tool to completion from a <see cref="ProcessCommand"/>: stdin fed or closed at once, stdout and stderr read
/// concurrently into bounded buffers, and on timeout or cancellation the whole process tree killed with SIGKILL (a
/// tool that ignores SIGTERM, or a child it left behind, goes too) before the call returns.
/// </summary>
public static class ProcessRunner
{
    // A child that outlived the tool (a daemonised helper) may hold stdout open forever; after the tool itself has
    // exited, its output is awaited this long and then taken as it is.
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    /// <summary>Runs the command and returns how it ended, whatever its exit status.</summary>
    /// <exception cref="ProcessStartException">the program could not be started.</exception>
    /// <exception cref="ProcessTimeoutException">it ran past <see cref="ProcessCommand.Timeout"/>; its process tree was killed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; its process tree was killed.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The deadline starts before the process does, so whatever the process does first happens inside it.
        using var deadline = new CancellationTokenSource(command.Timeout, command.Time);
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        using var process = new Process { StartInfo = command.ToStartInfo() };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ProcessStartException(command, e);
        }
        var stdout = new BoundedOutput(command.MaxOutput);
        var stderr = new BoundedOutput(command.MaxOutput);
        var output = Task.WhenAll(stdout.ReadToEndAsync(process.StandardOutput), stderr.ReadToEndAsync(process.StandardError));
        var input = WriteInputAsync(process.StandardInput, command.StandardInput);
        try
        {
            await process.WaitForExitAsync(stopped.Token);
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await input;
            await WaitForOutputAsync(output, command.Time);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ProcessTimeoutException(command, stderr.Text);
        }
        await input;
        await WaitForOutputAsync(output, command.Time);
        return new ProcessResult(process.ExitCode, stdout.Text, stderr.Text) { Truncated = stdout.Truncated || stderr.Truncated };
    }

    /// <summary>Runs the command and requires exit status 0.</summary>
    /// <exception cref="ProcessFailedException">it exited with another status.</exception>
    /// <inheritdoc cref="RunAsync" path="/exception"/>
    public static async Task<ProcessResult> RunCheckedAsync(ProcessCommand command, CancellationToken cancellationToken)
    {
        var result = await RunAsync(command, cancellationToken);
        return result.ExitCode == 0 ? result : throw new ProcessFailedException(command, result);
    }

    private static async Task WriteInputAsync(StreamWriter stdin, byte[]? input)
    {
        try
        {
            if (input is not null)
            {
                await stdin.BaseStream.WriteAsync(input);
            }
            stdin.Close();
        }
        catch (IOException)
        {
            // The tool exited (or was killed) without reading all of its input; its exit status tells the rest.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            // SIGKILL to the process and every descendant: nothing can ignore it, nothing is left holding the pipes.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the deadline and the kill.
        }
    }

    private static async Task WaitForOutputAsync(Task output, TimeProvider time)
    {
        using var grace = new CancellationTokenSource();
        var finished = await Task.WhenAny(output, Task.Delay(OutputGrace, time, grace.Token));
        await grace.CancelAsync();
        if (finished == output)
        {
            await output;
        }
    }
}
