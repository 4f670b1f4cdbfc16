using System.Security.Cryptography;
using System.Text.Json;

namespace Builder.Vm.Images;

/// <summary>
/// A build VM image made by <c>ops/image/build-image</c>: the read-only base root disk, kernel, initrd and the
/// manifest <c>image.json</c>. <see cref="ManifestSha256"/> identifies the image in audit records.
/// </summary>
public sealed class VmImage
{
    public const string ManifestFileName = "image.json";
    private const long MaxManifestSize = 4 << 20;

    private VmImage(string directory, string manifestSha256, ImageManifest manifest)
    {
        Directory = directory;
        ManifestSha256 = manifestSha256;
        Recipe = manifest.Recipe;
        Init = manifest.Init;
        Packages = manifest.Packages.Select(p => new VmImagePackage(p.Name, p.Version, p.Architecture)).ToArray();
        Files = manifest.Files.ToDictionary(f => f.Role, f => new VmImageFile(f.Name, Path.Combine(directory, f.Name), f.Size, f.Sha256));
    }

    public string Directory { get; }

    /// <summary>Lowercase hex sha256 of the image.json bytes: what audit records cite as the image.</summary>
    public string ManifestSha256 { get; }

    /// <summary>The recipe hash the image was built from (also its cache directory name).</summary>
    public string Recipe { get; }

    /// <summary>Path of the guest agent inside the image, passed to the kernel as init=.</summary>
    public string Init { get; }

    public IReadOnlyList<VmImagePackage> Packages { get; }

    /// <summary>A file of the image by its manifest role ("root", "kernel", "initrd", "dpkg-status"), if the image has it.</summary>
    public VmImageFile? FileFor(string role) => Files.GetValueOrDefault(role);

    public VmImageFile Root => Files["root"];

    public VmImageFile Kernel => Files["kernel"];

    public VmImageFile Initrd => Files["initrd"];

    private Dictionary<string, VmImageFile> Files { get; }

    /// <summary>Reads and checks the manifest; each file must exist with the recorded size (hashes: <see cref="VerifyAsync"/>).</summary>
    public static VmImage Load(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new InvalidDataException($"{manifestPath} does not exist: build the image with ops/image/build-image and set Vm:ImageDirectory to the directory it prints");
        }
        if (new FileInfo(manifestPath).Length > MaxManifestSize)
        {
            throw new InvalidDataException($"{manifestPath} is larger than {MaxManifestSize} bytes");
        }
        var bytes = File.ReadAllBytes(manifestPath);
        ImageManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(bytes, ImageManifestJsonContext.Default.ImageManifest)
                ?? throw new InvalidDataException($"{manifestPath}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{manifestPath}: not a valid image manifest: {e.Message}", e);
        }
        var errors = manifest.Validate().Select(e => $"{manifestPath}: {e}").ToList();
        var image = errors.Count == 0 ? new VmImage(directory, Convert.ToHexStringLower(SHA256.HashData(bytes)), manifest) : null;
        if (image is not null)
        {
            foreach (var file in new[] { image.Root, image.Kernel, image.Initrd })
            {
                var info = new FileInfo(file.Path);
                if (!info.Exists || info.Length != file.Size)
                {
                    errors.Add($"{file.Path}: expected {file.Size} bytes as image.json records, found {(info.Exists ? info.Length : "no file")}");
                }
            }
        }
        return errors.Count == 0 ? image! : throw new InvalidDataException(string.Join(Environment.NewLine, errors));
    }

    /// <summary>Hashes every file against the manifest (seconds for the root disk: run at start-up, not per build).</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        foreach (var file in new[] { Root, Kernel, Initrd })
        {
            await using var stream = File.OpenRead(file.Path);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (actual != file.Sha256)
            {
                throw new InvalidDataException($"{file.Path}: sha256 {actual} differs from image.json ({file.Sha256}); the image was modified, rebuild it");
            }
        }
    }
}
