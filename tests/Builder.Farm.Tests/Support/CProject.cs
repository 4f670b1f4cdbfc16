using System.Globalization;
using System.Text;
using Builder.Tests.Common;

namespace Builder.Farm.Tests.Support;

/// <summary>
/// A generated multi-file C project with a Makefile. File names carry a random token so a distccd log line can be
/// traced to this test run.
/// </summary>
internal sealed class CProject
{
    public const string Flags = "-O2 -Wall";

    private CProject(string directory, string token, IReadOnlyList<string> units)
    {
        Directory = directory;
        Token = token;
        Units = units;
    }

    public string Directory { get; }

    public string Token { get; }

    /// <summary>Base names without extension.</summary>
    public IReadOnlyList<string> Units { get; }

    /// <param name="weight">loop functions per file: more makes each compile take longer.</param>
    public static CProject Create(string directory, int files, int weight = 4)
    {
        var token = "t" + Guid.NewGuid().ToString("N")[..10];
        File.WriteAllText(Path.Combine(directory, "common.h"), "#ifndef COMMON_H\n#define COMMON_H\n#define SCALE 3\nint unit_sum(int n);\n#endif\n");
        var units = new List<string>();
        for (var i = 0; i < files; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{token}_u{i:D2}");
            var sb = new StringBuilder("#include \"common.h\"\n#include <string.h>\n");
            for (var f = 0; f < weight; f++)
            {
                sb.Append(CultureInfo.InvariantCulture, $$"""
                    static int f{{f}}(const int *a, int n)
                    {
                        int s = 0;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < {{f + 2}}; j++) s += (a[i] * SCALE + j) ^ (i << {{f % 5}});
                            if (s > 1000000) s -= {{i + 7}} * {{f + 1}};
                        }
                        return s;
                    }

                    """);
            }
            sb.Append(CultureInfo.InvariantCulture, $"int {name}_entry(int n)\n{{\n    int a[64];\n    memset(a, 0, sizeof a);\n    for (int i = 0; i < 64; i++) a[i] = i * {i + 1};\n    int s = 0;\n");
            for (var f = 0; f < weight; f++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    s += f{f}(a, n % 64);\n");
            }
            sb.Append("    return s;\n}\n");
            File.WriteAllText(Path.Combine(directory, name + ".c"), sb.ToString());
            units.Add(name);
        }
        File.WriteAllText(Path.Combine(directory, "Makefile"),
            "OBJS = $(patsubst %.c,%.o,$(wildcard " + token + "_*.c))\nall: $(OBJS)\n%.o: %.c common.h\n\t$(CC) $(CFLAGS) -c $< -o $@\n");
        return new CProject(directory, token, units);
    }

    /// <summary>Compiles every unit directly with gcc into direct/, the reference for byte comparison.</summary>
    public async Task CompileDirectAsync()
    {
        var outDir = Path.Combine(Directory, "direct");
        System.IO.Directory.CreateDirectory(outDir);
        foreach (var u in Units)
        {
            var r = await TestProcess.RunAsync("gcc", [.. Flags.Split(' '), "-c", u + ".c", "-o", Path.Combine("direct", u + ".o")], Directory);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
    }

    public void AssertObjectsMatchDirect()
    {
        foreach (var u in Units)
        {
            var viaFarm = File.ReadAllBytes(Path.Combine(Directory, u + ".o"));
            var direct = File.ReadAllBytes(Path.Combine(Directory, "direct", u + ".o"));
            Assert.True(viaFarm.AsSpan().SequenceEqual(direct), $"{u}.o differs from direct gcc -c ({viaFarm.Length} vs {direct.Length} bytes)");
        }
    }
}
