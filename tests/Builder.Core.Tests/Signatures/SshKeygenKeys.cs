using Builder.Tests.Common;
using Builder.Tests.Common.Signing;

namespace Builder.Core.Tests.Signatures;

/// <summary>One key of every supported type, generated once per test class by the real ssh-keygen.</summary>
public sealed class SshKeygenKeys : IAsyncLifetime
{
    /// <summary>(type, bits) as passed to <c>ssh-keygen -t -b</c>; the id is the xunit theory data.</summary>
    public static readonly IReadOnlyDictionary<string, (string Type, int? Bits)> Kinds = new Dictionary<string, (string, int?)>
    {
        ["ed25519"] = ("ed25519", null),
        ["ecdsa256"] = ("ecdsa", 256),
        ["ecdsa384"] = ("ecdsa", 384),
        ["ecdsa521"] = ("ecdsa", 521),
        ["rsa"] = ("rsa", null),
    };

    public string Directory { get; } = TestEnvironment.NewTempDirectory("sshkeys");

    public IDictionary<string, (string Path, string PublicLine)> Keys { get; } = new Dictionary<string, (string, string)>();

    public async Task InitializeAsync()
    {
        foreach (var (id, (type, bits)) in Kinds)
        {
            var path = Path.Combine(Directory, id);
            Keys[id] = (path, await SshKeygen.GenerateAsync(path, type, bits));
        }
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
