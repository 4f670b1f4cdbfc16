using System.Formats.Tar;
using System.Net;
using Builder.Tests.Common;
using Builder.Vm.Jobs;

namespace Builder.Vm.Tests.Jobs;

public sealed class JobDiskTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("jobdisk");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Touch(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, name);
        return path;
    }

    [Fact]
    public void Files_go_onto_the_job_disk_readable_by_all_and_owned_by_root_whatever_their_mode_and_owner_on_the_host()
    {
        var dsc = Touch("hello_1.0.dsc");
        File.SetUnixFileMode(dsc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var disk = Path.Combine(_dir, "job.tar");

        JobDisk.Write(new VmJob { BuildId = 1, SourceFiles = [dsc] }, disk);

        using var reader = new TarReader(File.OpenRead(disk));
        var entries = new List<PosixTarEntry>();
        while (reader.GetNextEntry(copyData: true) is PosixTarEntry entry)
        {
            entries.Add(entry);
        }
        var src = Assert.Single(entries, e => e.Name == "src/hello_1.0.dsc");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, src.Mode);
        Assert.Equal((0, 0, "", ""), (src.Uid, src.Gid, src.UserName, src.GroupName));
        Assert.Equal("hello_1.0.dsc", new StreamReader(src.DataStream!).ReadToEnd());
    }

    [Fact]
    public void The_job_disk_holds_the_description_the_source_and_the_build_dependencies()
    {
        var job = new VmJob
        {
            BuildId = 42, SourceFiles = [Touch("hello_1.0.dsc"), Touch("hello_1.0.tar.xz")], BuildDependencies = [Touch("libfoo-dev_2_amd64.deb")],
            Gateway = new IPEndPoint(IPAddress.Loopback, 40000), Parallel = 4,
        };
        var disk = Path.Combine(_dir, "job.tar");

        JobDisk.Write(job, disk);

        using var reader = new TarReader(File.OpenRead(disk));
        var names = new List<string>();
        string? description = null;
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
            if (entry.Name == "job")
            {
                description = new StreamReader(entry.DataStream!).ReadToEnd();
            }
        }
        Assert.Equal(["job", "src/hello_1.0.dsc", "src/hello_1.0.tar.xz", "debs/libfoo-dev_2_amd64.deb"], names);
        Assert.Equal("builder-job 1\nmode build\nbuild 42\nparallel 4\nbuildtype binary\ngateway 10.0.2.100:3632\ndsc hello_1.0.dsc\n", description);
        Assert.Equal(0, new FileInfo(disk).Length % 512);
    }

    [Fact]
    public void A_source_package_without_exactly_one_dsc_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => JobDisk.Describe(new VmJob { BuildId = 1, SourceFiles = [Touch("a.tar.xz")] }));

        Assert.StartsWith("SourceFiles must hold exactly one .dsc, found 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_name_that_is_not_plain_is_refused()
    {
        var odd = Touch("-rf.dsc");

        var e = Assert.Throws<ArgumentException>(() => JobDisk.Write(new VmJob { BuildId = 1, SourceFiles = [odd] }, Path.Combine(_dir, "j.tar")));

        Assert.Equal("SourceFiles: '-rf.dsc' is not a plain Debian file name", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Parallel_outside_1_to_64_is_refused(int parallel)
    {
        Assert.Throws<ArgumentException>(() => JobDisk.Describe(new VmJob { BuildId = 1, Mode = GuestMode.Hang, Parallel = parallel }));
    }
}
