using System.Security.Cryptography;
using Builder.Tests.Common;
using Builder.Vm.Images;

namespace Builder.Vm.Tests.Images;

public sealed class VmImageTests : IDisposable
{
    private readonly string _dir = TestEnvironment.NewTempDirectory("image");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_consistent_image_loads_and_its_manifest_hash_is_the_sha256_of_image_json()
    {
        var image = ImageFiles.Create(_dir);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir, "image.json")))), image.ManifestSha256);
        Assert.Equal(Path.Combine(_dir, "vmlinuz"), image.Kernel.Path);
        Assert.Equal("gcc-12", Assert.Single(image.Packages).Name);
        await image.VerifyAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_modified_root_disk_fails_verification_naming_the_file()
    {
        var image = ImageFiles.Create(_dir);
        File.WriteAllText(Path.Combine(_dir, "root.img"), "fake ROOT\n");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => image.VerifyAsync(CancellationToken.None));

        Assert.StartsWith(Path.Combine(_dir, "root.img") + ": sha256 ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_manifest_says_how_to_build_the_image()
    {
        var e = Assert.Throws<InvalidDataException>(() => VmImage.Load(_dir));

        Assert.Contains("ops/image/build-image", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_with_a_path_as_file_name_and_a_bad_format_reports_both()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageFiles.Create(_dir, m =>
        {
            m["format"] = 2;
            ((List<object>)m["files"])[0] = new Dictionary<string, object> { ["name"] = "../../etc/shadow", ["role"] = "root", ["size"] = 1, ["sha256"] = new string('0', 64) };
        }));

        Assert.Contains("format 2 is not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains("files: entry '../../etc/shadow' needs a plain name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_size_differs_from_the_manifest_is_reported()
    {
        ImageFiles.Create(_dir);
        File.AppendAllText(Path.Combine(_dir, "initrd.img"), "more");

        var e = Assert.Throws<InvalidDataException>(() => VmImage.Load(_dir));

        Assert.Contains(Path.Combine(_dir, "initrd.img") + ": expected 12 bytes as image.json records, found 16", e.Message, StringComparison.Ordinal);
    }
}
