using Builder.Core.Files;
using Builder.Core.Processes;
using Builder.Tests.Common;
using Microsoft.Extensions.Time.Testing;

namespace Builder.Core.Tests.Files;

/// <summary>The file lock against the kernel's flock, as the real flock(1) sees it.</summary>
public sealed class FileLockTests
{
    private readonly string _path = Path.Combine(TestEnvironment.NewTempDirectory("file-lock"), "mirror.lock");

    [Fact]
    public async Task A_held_lock_is_an_flock_other_processes_see_and_disposing_releases_it()
    {
        using (await FileLock.AcquireAsync(_path, CancellationToken.None))
        {
            Assert.Equal(1, (await FlockNonBlockingAsync()).ExitCode);
        }

        Assert.Equal(0, (await FlockNonBlockingAsync()).ExitCode);
    }

    [Fact]
    public async Task A_second_holder_waits_until_the_first_releases()
    {
        var first = await FileLock.AcquireAsync(_path, CancellationToken.None);
        var waited = 0;
        var second = FileLock.AcquireAsync(_path, TimeSpan.FromMinutes(10), TimeProvider.System, () => waited++, CancellationToken.None);
        while (waited == 0)
        {
            Assert.False(second.IsCompleted, "the second holder got the lock while the first held it");
            await Task.Delay(20);
        }

        first.Dispose();

        using var taken = await second;
        Assert.Equal(1, waited);
    }

    [Fact]
    public async Task A_lock_still_held_after_the_timeout_fails_naming_the_file()
    {
        var time = new FakeTimeProvider();
        using var held = await FileLock.AcquireAsync(_path, CancellationToken.None);
        var waiting = new TaskCompletionSource();
        var second = FileLock.AcquireAsync(_path, TimeSpan.FromMinutes(1), time, waiting.SetResult, CancellationToken.None);
        await waiting.Task;

        time.Advance(TimeSpan.FromMinutes(1));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => second);
        Assert.Equal($"{_path} is still locked after 00:01:00", e.Message);
    }

    [Fact]
    public async Task Cancelling_the_wait_is_a_cancellation_not_a_timeout()
    {
        using var held = await FileLock.AcquireAsync(_path, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var second = FileLock.AcquireAsync(_path, TimeSpan.FromMinutes(1), new FakeTimeProvider(), () => cancel.Cancel(), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    private Task<ProcessResult> FlockNonBlockingAsync() => ProcessRunner.RunAsync(new ProcessCommand("flock", ["--nonblock", _path, "true"]), CancellationToken.None);
}
