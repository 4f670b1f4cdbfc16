using System.Diagnostics;
using System.Text;

namespace Builder.Sources.Packaging;

/// <summary>Runs a tool from an argument list (never a shell string), bounded in time and in captured output.</summary>
internal static class ProcessRunner
{
    private const int MaxCapture = 64 * 1024;

    /// <exception cref="SourceException">the tool could not start or ran past <paramref name="timeout"/>.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo psi, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SourceException($"cannot run {psi.FileName}: {e.Message}", e);
        }
        // The tool gets no input: stdin is closed at once (like </dev/null).
        process.StandardInput.Close();
        var stdout = CaptureAsync(process.StandardOutput);
        var stderr = CaptureAsync(process.StandardError);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own between the deadline and the kill.
            }
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new SourceException($"{psi.FileName} ran longer than {timeout}; killed. stderr: {Tail(await stderr)}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static string Tail(string s) => s.Length > 2000 ? "…" + s[^2000..] : s;

    private static async Task<string> CaptureAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            kept.Append(buffer, 0, n);
            if (kept.Length > 2 * MaxCapture)
            {
                kept.Remove(0, kept.Length - MaxCapture);
            }
        }
        return kept.Length > MaxCapture ? kept.ToString(kept.Length - MaxCapture, MaxCapture) : kept.ToString();
    }
}
