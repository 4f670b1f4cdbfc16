using Builder.Tests.Common;

namespace Builder.Vm.Tests.Output.Binaries;

/// <summary>Real packages built with dpkg-deb from a control text, and the small compression helpers the tests need.</summary>
internal static class TestDebs
{
    public static readonly string[] Compressions = ["gzip", "xz", "zstd", "none"];

    public const string Control = """
        Package: hello
        Version: 1:2.10-3
        Architecture: amd64
        Maintainer: Jane Doe <jane@example.org>
        Description: greets
         A friendly program.
         .
         It says hello.

        """;

    /// <summary>Builds <paramref name="fileName"/> in <paramref name="directory"/> with dpkg-deb; returns its path.</summary>
    public static string Build(string directory, string fileName, string control, string compression = "xz")
    {
        var root = Path.Combine(directory, "root-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "share", "doc", "x"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"), control);
        File.WriteAllText(Path.Combine(root, "usr", "share", "doc", "x", "README"), "hello\n");
        var path = Path.Combine(directory, fileName);
        // --nocheck: some tests need control files dpkg-deb would refuse (an invalid name, a missing field).
        TestProcess.Check("dpkg-deb", ["--root-owner-group", $"-Z{compression}", "--nocheck", "--build", root, path]);
        Directory.Delete(root, recursive: true);
        return path;
    }

    /// <summary>Builds in a fresh temp directory and returns the bytes.</summary>
    public static byte[] BuildBytes(string control = Control, string compression = "xz")
    {
        var dir = TestEnvironment.NewTempDirectory("deb");
        try
        {
            return File.ReadAllBytes(Build(dir, "p.deb", control, compression));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs the xz or zstd program on bytes (through files: the test runner keeps output as text).</summary>
    public static byte[] Compress(string tool, byte[] data, params string[] options)
    {
        var dir = TestEnvironment.NewTempDirectory("compress");
        try
        {
            var input = Path.Combine(dir, "in");
            File.WriteAllBytes(input, data);
            if (tool == "xz")
            {
                TestProcess.Check("xz", [.. options, "-q", "-k", input]);
                return File.ReadAllBytes(input + ".xz");
            }
            var output = Path.Combine(dir, "out");
            TestProcess.Check(tool, [.. options, "-q", "-o", output, input]);
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
