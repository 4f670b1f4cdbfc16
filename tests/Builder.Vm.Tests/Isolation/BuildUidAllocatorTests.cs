using System.Diagnostics;
using Builder.Tests.Common;
using Builder.Vm.Isolation;

namespace Builder.Vm.Tests.Isolation;

public sealed class BuildUidAllocatorTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("uid-locks");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BuildUidAllocator Allocator(uint first = 2000000, uint last = 2000002) => new(new UidRange(first, last), Path.Combine(_dir, "locks"));

    [Fact]
    public void Each_lease_gets_the_lowest_free_uid_and_a_released_uid_is_handed_out_again()
    {
        var allocator = Allocator();

        using var a = allocator.Acquire();
        var b = allocator.Acquire();
        using var c = allocator.Acquire();
        b.Dispose();
        using var d = allocator.Acquire();

        Assert.Equal([2000000u, 2000001u, 2000002u, 2000001u], new[] { a.Uid, b.Uid, c.Uid, d.Uid });
        Assert.True(File.Exists(Path.Combine(_dir, "locks", "2000001.lock")));
    }

    [Fact]
    public void Two_allocators_on_one_lock_directory_never_hand_out_the_same_uid()
    {
        var one = Allocator();
        var two = Allocator();

        using var a = one.Acquire();
        using var b = two.Acquire();
        using var c = one.Acquire();

        Assert.Equal(3, new[] { a.Uid, b.Uid, c.Uid }.Distinct().Count());
    }

    [Fact]
    public void A_full_range_fails_naming_the_range_the_lock_directory_and_what_to_change()
    {
        var allocator = Allocator(last: 2000001);
        using var a = allocator.Acquire();
        using var b = allocator.Acquire();

        var e = Assert.Throws<InvalidOperationException>(allocator.Acquire);

        Assert.Equal($"all 2 uids of Vm:UidRange 2000000-2000001 are taken by running VMs on this host (locks in {Path.Combine(_dir, "locks")}): "
            + "widen Vm:UidRange, or lower Scheduler:Slots of the builderd processes that share it", e.Message);
    }

    [Fact]
    public async Task A_uid_locked_by_another_process_is_skipped_and_free_again_when_that_process_dies()
    {
        var locks = Path.Combine(_dir, "locks");
        Directory.CreateDirectory(locks);
        var held = Path.Combine(locks, "2000000.lock");
        File.WriteAllText(held, "");
        // util-linux flock takes flock(LOCK_EX) on the file and (--no-fork) becomes sleep, which holds it: another
        // process, as a second builderd would be; its death alone frees the lock.
        using var other = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--no-fork", held, "sleep", "600"]))!;
        try
        {
            await WaitUntilLockedAsync(held);
            var allocator = Allocator();

            using (var lease = allocator.Acquire())
            {
                Assert.Equal(2000001u, lease.Uid);
            }

            other.Kill(entireProcessTree: true);
            await other.WaitForExitAsync();
            using var after = allocator.Acquire();
            Assert.Equal(2000000u, after.Uid);
        }
        finally
        {
            if (!other.HasExited)
            {
                other.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task WaitUntilLockedAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var probe = await TestProcess.RunAsync("flock", ["--nonblock", path, "true"]);
            if (probe.ExitCode != 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "flock did not take the lock");
            await Task.Delay(50);
        }
    }
}
