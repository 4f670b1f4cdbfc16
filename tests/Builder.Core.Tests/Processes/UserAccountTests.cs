using Builder.Core.Processes;

namespace Builder.Core.Tests.Processes;

public sealed class UserAccountTests
{
    private static readonly string[] Passwd =
    [
        "root:x:0:0:root:/root:/bin/bash",
        "broken:x:998",
        "relative:x:997:997::var/lib/x:/usr/sbin/nologin",
        "builder:x:999:999:Builder,,,:/var/lib/builder:/usr/sbin/nologin",
    ];

    [Theory]
    [InlineData(0u, "/root")]
    [InlineData(999u, "/var/lib/builder")]
    [InlineData(998u, "/")]
    [InlineData(997u, "/")]
    [InlineData(12345u, "/")]
    public void The_home_is_the_uids_passwd_field_or_the_root_directory_without_a_usable_entry(uint uid, string home)
    {
        Assert.Equal(home, UserAccount.HomeOf(uid, Passwd));
    }
}
