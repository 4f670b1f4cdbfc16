using Builder.Tests.Common;

namespace Builder.Vm.Tests;

public sealed class UnixUserTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("passwd");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_user_is_found_with_its_uid_and_primary_gid()
    {
        var passwd = Path.Combine(_dir, "passwd");
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/bash\nbuilder-vm:x:999:995::/nonexistent:/usr/sbin/nologin\n");

        Assert.Equal(new UnixUser("builder-vm", 999, 995), UnixUser.Lookup("builder-vm", passwd));
    }

    [Fact]
    public void A_missing_user_fails_with_the_command_that_creates_it()
    {
        var passwd = Path.Combine(_dir, "passwd");
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/bash\n");

        var e = Assert.Throws<InvalidOperationException>(() => UnixUser.Lookup("builder-vm", passwd));

        Assert.Contains("useradd --system --no-create-home --shell /usr/sbin/nologin builder-vm", e.Message, StringComparison.Ordinal);
    }
}
