using System.Diagnostics;

namespace Builder.Vm.Running;

/// <summary>
/// A child process started with a parent-death signal (qemu under <c>setpriv --pdeathsig=KILL</c>). Linux sends that
/// signal when the *thread* that forked the child ends, not only when the process does, and .NET forks on the calling
/// thread: a thread-pool thread that retires while the VM runs would kill it. So the child is forked from a dedicated
/// thread that stays parked until <see cref="Dispose"/>, which comes after the child has exited (or kills it, if not).
/// </summary>
internal sealed class TetheredProcess : IDisposable
{
    private readonly ManualResetEventSlim _release = new();

    private TetheredProcess(Process process) => Process = process;

    public Process Process { get; }

    public static Task<TetheredProcess> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<TetheredProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            TetheredProcess tethered;
            try
            {
                tethered = new TetheredProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}"));
            }
            catch (Exception e)
            {
                started.SetException(e);
                return;
            }
            started.SetResult(tethered);
            tethered._release.Wait();
        })
        {
            IsBackground = true,
            Name = "vm-tether",
        };
        thread.Start();
        return started.Task;
    }

    public void Dispose()
    {
        // The tether thread ends now; were the child still running, the kernel would kill it.
        _release.Set();
        Process.Dispose();
    }
}
