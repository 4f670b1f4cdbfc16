namespace Builder.Farm.Policy;

/// <summary>
/// gcc/g++ options that make the compiler open, create, load or run something by a name the gateway does not
/// control (module caches, dumps, profiles, plugins, specs, dependency and diagnostics files, split debug info…).
/// They are refused before the allow list is consulted, so neither a built-in pattern nor
/// <c>Farm:ExtraAllowedOptions</c> can let one through. <c>-fno-X</c> is matched as <c>-fX</c>.
/// </summary>
/// <remarks>
/// <c>-frecord-gcc-switches</c> stays allowed: it copies the command line into a section of the object and opens
/// nothing. The per-job sandbox on the farm host (ops/farm/builder-farm-cc) is the boundary; this list keeps the
/// farm's compiler from even trying.
/// </remarks>
internal static class FileNamingOptions
{
    private const string Writes = "it writes files on the farm host";
    private const string Profile = "profile options read or write files on the farm host";
    private const string Modules = "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host";

    private static readonly (string Prefix, string Why)[] Prefixes =
    [
        ("@", "a response file reads a file on the farm host"),
        ("-wrapper", "-wrapper runs a program on the farm host"),
        ("-fplugin", "plugins load code into the farm's compiler"),
        ("-iplugindir", "plugins load code into the farm's compiler"),
        ("-specs", "spec files change what the compiler driver runs"),
        ("--specs", "spec files change what the compiler driver runs"),
        ("-B", "-B changes where the compiler driver finds its programs"),
        ("-fmodule", Modules), // -fmodules-ts, -fmodules, -fmodule-mapper=, -fmodule-header, -fmodule-only, -fmodule-file=…
        ("-fheader-unit", Modules),
        ("-fprebuilt-module", Modules),
        ("-fimplicit-module", Modules),
        ("-fdeps-", "dependency output writes files on the farm host"), // P1689 -fdeps-file=, -fdeps-target=, -fdeps-format=
        ("-save-temps", Writes),
        ("-fdump", Writes),
        ("-dump", Writes), // -dumpbase, -dumpdir, -dumpbase-ext name the dump and auxiliary files
        ("-fopt-info", Writes),
        ("-fsave-optimization-record", Writes),
        ("-fstack-usage", Writes),
        ("-fcallgraph-info", Writes),
        ("-aux-info", Writes),
        ("-fcompare-debug", Writes),
        ("-gsplit-dwarf", "split DWARF writes a .dwo file on the farm host"),
        ("-fdiagnostics-format", "diagnostics formats can write files on the farm host"),
        ("-fdiagnostics-add-output", "diagnostics outputs can write files on the farm host"),
        ("-fdiagnostics-set-output", "diagnostics outputs can write files on the farm host"),
        ("-fpch", "precompiled headers read files on the farm host"),
        ("-M", "dependency output writes files on the farm host"),
        ("-fprofile", Profile),
        ("-fauto-profile", Profile),
        ("-fcs-profile", Profile),
        ("-fbranch-probabilities", Profile),
        ("-ftest-coverage", Profile),
        ("-fcoverage", Profile),
        ("-fcondition-coverage", Profile),
        ("-fpath-coverage", Profile),
        ("--coverage", Profile),
        ("-fsanitize-blacklist", "it reads a file on the farm host"),
        ("-fsanitize-ignorelist", "it reads a file on the farm host"),
        ("-fsanitize-coverage-allowlist", "it reads a file on the farm host"),
        ("-fsanitize-coverage-ignorelist", "it reads a file on the farm host"),
        ("-fxray-attr-list", "it reads a file on the farm host"),
        ("-fltrans", "LTO stages read and write files named on the command line"),
        ("-fwpa", "LTO stages read and write files named on the command line"),
        ("-fresolution", "LTO stages read and write files named on the command line"),
        ("-foffload", "offloading runs other compilers on the farm host"),
        ("-fuse-ld", "it selects a linker on the farm host"),
        ("-fuse-linker-plugin", "it loads the linker plugin on the farm host"),
        ("-fself-test", "it reads files on the farm host"),
    ];

    /// <summary>Why <paramref name="arg"/> names a file, or null when it does not (by this list).</summary>
    public static string? Reason(string arg)
    {
        var other = arg.StartsWith("-fno-", StringComparison.Ordinal) ? "-f" + arg[5..] : null;
        foreach (var (prefix, why) in Prefixes)
        {
            if (arg.StartsWith(prefix, StringComparison.Ordinal) || (other?.StartsWith(prefix, StringComparison.Ordinal) ?? false))
            {
                return why;
            }
        }
        return null;
    }
}
