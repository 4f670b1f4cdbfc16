using System.Security.Cryptography;
using System.Text.Json;
using Builder.Vm.Images;

namespace Builder.Vm.Tests;

/// <summary>A tiny fake image directory with a consistent manifest, for tests that do not boot it.</summary>
internal static class ImageFiles
{
    public static VmImage Create(string dir, Action<Dictionary<string, object>>? tamper = null)
    {
        var files = new List<object>();
        foreach (var (name, role) in new[] { ("root.img", "root"), ("vmlinuz", "kernel"), ("initrd.img", "initrd") })
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes($"fake {role}\n");
            File.WriteAllBytes(Path.Combine(dir, name), bytes);
            files.Add(new Dictionary<string, object> { ["name"] = name, ["role"] = role, ["size"] = bytes.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) });
        }
        var manifest = new Dictionary<string, object>
        {
            ["format"] = 1, ["recipe"] = "0123456789abcdef01234567", ["init"] = "/usr/local/sbin/builder-agent", ["files"] = files,
            ["packages"] = new[] { new Dictionary<string, string> { ["name"] = "gcc-12", ["version"] = "12.2.0-14", ["architecture"] = "amd64" } },
        };
        tamper?.Invoke(manifest);
        File.WriteAllText(Path.Combine(dir, VmImage.ManifestFileName), JsonSerializer.Serialize(manifest));
        return VmImage.Load(dir);
    }
}
