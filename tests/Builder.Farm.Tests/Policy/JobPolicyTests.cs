using Builder.Farm.Policy;

namespace Builder.Farm.Tests.Policy;

public sealed class JobPolicyTests
{
    private readonly JobPolicy _policy = JobPolicy.From(new FarmOptions());

    [Theory]
    [InlineData("gcc", "x86_64-linux-gnu-gcc-12")]
    [InlineData("x86_64-linux-gnu-gcc", "x86_64-linux-gnu-gcc-12")]
    [InlineData("x86_64-linux-gnu-gcc-12", "x86_64-linux-gnu-gcc-12")]
    [InlineData("cc", "x86_64-linux-gnu-gcc-12")]
    [InlineData("x86_64-linux-gnu-g++-12", "x86_64-linux-gnu-g++-12")]
    public void Allowed_compiler_names_map_to_the_farm_compiler(string client, string farm)
    {
        var d = _policy.Evaluate([client, "-c", "a.c", "-o", "a.o"]);
        Assert.True(d.Allowed, d.Refusal);
        Assert.Equal(farm, d.Compiler);
        Assert.Equal([farm, "-c", "-o", "a.o", "a.c"], d.Argv);
    }

    [Fact]
    public void A_typical_Debian_compile_is_forwarded_in_order_with_plain_names()
    {
        var d = _policy.Evaluate(["x86_64-linux-gnu-gcc-12", "-g", "-O2", "-ffile-prefix-map=/build/hello-1.0=.", "-fstack-protector-strong",
            "-Wformat", "-Werror=format-security", "-Wall", "-c", "src/lib/hello.c", "-o", "src/lib/hello.o", "-fPIC", "-std=gnu11"]);
        Assert.True(d.Allowed, d.Refusal);
        Assert.Equal(["x86_64-linux-gnu-gcc-12", "-g", "-O2", "-ffile-prefix-map=/build/hello-1.0=.", "-fstack-protector-strong",
            "-Wformat", "-Werror=format-security", "-Wall", "-c", "-fPIC", "-std=gnu11", "-o", "hello.o", "hello.c"], d.Argv);
    }

    [Theory]
    [InlineData("clang", "compiler 'clang' is not an allowed compiler")]
    [InlineData("/usr/bin/gcc", "compiler '/usr/bin/gcc' is not an allowed compiler")]
    [InlineData("../gcc", "compiler '../gcc' is not an allowed compiler")]
    public void Unknown_compilers_are_refused(string compiler, string reason) =>
        Assert.Equal(reason, _policy.Evaluate([compiler, "-c", "a.c", "-o", "a.o"]).Refusal);

    [Theory]
    [InlineData("-wrapper", "-wrapper runs a program on the farm host")]
    [InlineData("--specs=evil", "spec files change what the compiler driver runs")]
    [InlineData("-specs=evil", "spec files change what the compiler driver runs")]
    [InlineData("-fplugin=./x.so", "plugins load code into the farm's compiler")]
    [InlineData("-fplugin-arg-x-y=z", "plugins load code into the farm's compiler")]
    [InlineData("-iplugindir=/tmp", "plugins load code into the farm's compiler")]
    [InlineData("-B/tmp", "-B changes where the compiler driver finds its programs")]
    [InlineData("-B", "-B changes where the compiler driver finds its programs")]
    [InlineData("-save-temps", "it writes files on the farm host")]
    [InlineData("-save-temps=obj", "it writes files on the farm host")]
    [InlineData("-fdump-tree-all", "it writes files on the farm host")]
    [InlineData("-fdump-tree-original=/tmp/x", "it writes files on the farm host")]
    [InlineData("-fdump-rtl-expand", "it writes files on the farm host")]
    [InlineData("-fopt-info-all=/tmp/x", "it writes files on the farm host")]
    [InlineData("-fstack-usage", "it writes files on the farm host")]
    [InlineData("-aux-info", "it writes files on the farm host")]
    [InlineData("-MD", "dependency output writes files on the farm host")]
    [InlineData("-MF", "dependency output writes files on the farm host")]
    [InlineData("-MMD", "dependency output writes files on the farm host")]
    [InlineData("-Wa,-a=/tmp/x", "options passed to the assembler bypass the gateway's checks")]
    [InlineData("-Wa,--noexecstack", "options passed to the assembler bypass the gateway's checks")]
    [InlineData("-Wp,-MD,/tmp/x", "options passed to the preprocessor bypass the gateway's checks")]
    [InlineData("-Wl,-z,now", "options passed to the linker bypass the gateway's checks")]
    [InlineData("-Xassembler", "options passed to a sub-program bypass the gateway's checks")]
    [InlineData("-Xpreprocessor", "options passed to a sub-program bypass the gateway's checks")]
    [InlineData("-include", "it reads a file on the farm host")]
    [InlineData("-imacros", "it reads a file on the farm host")]
    [InlineData("-I/etc", "it names a directory on the farm host")]
    [InlineData("-isystem", "it names a file or directory on the farm host")]
    [InlineData("--sysroot=/", "it names a directory on the farm host")]
    [InlineData("-fprofile-generate", "profile options read or write files on the farm host")]
    [InlineData("-fprofile-use=/tmp/p", "profile options read or write files on the farm host")]
    [InlineData("-fprofile-dir=/tmp", "profile options read or write files on the farm host")]
    [InlineData("-fauto-profile=/tmp/p", "profile options read or write files on the farm host")]
    [InlineData("--coverage", "profile options read or write files on the farm host")]
    [InlineData("--param=ssp-buffer-size=4", "it is not on the gateway's allow list")]
    [InlineData("--help", "it is not on the gateway's allow list")]
    [InlineData("-march=native", "it is not on the gateway's allow list")]
    [InlineData("-flto", "it is not on the gateway's allow list")]
    [InlineData("-fsanitize-blacklist=/etc/passwd", "it reads a file on the farm host")]
    [InlineData("-ffile-prefix-map=/a=/b=c", "it is not on the gateway's allow list")]
    [InlineData("-E", "it is not on the gateway's allow list")]
    [InlineData("-S", "it is not on the gateway's allow list")]
    [InlineData("-v", "it is not on the gateway's allow list")]
    public void Dangerous_and_unknown_options_are_refused_naming_the_option(string option, string why)
    {
        var d = _policy.Evaluate(["gcc", "-c", option, "a.c", "-o", "a.o"]);
        Assert.False(d.Allowed);
        Assert.Equal($"option '{option}' (argument 2) is refused: {why}", d.Refusal);
    }

    [Fact]
    public void A_response_file_is_refused() =>
        Assert.Equal("'@opts' (argument 1) is refused: a response file reads a file on the farm host",
            _policy.Evaluate(["gcc", "@opts", "-c", "a.c", "-o", "a.o"]).Refusal);

    [Theory]
    [InlineData("c")]
    [InlineData("c-header")]
    [InlineData("assembler")]
    [InlineData("none")]
    public void Language_other_than_preprocessed_is_refused(string language) =>
        Assert.Equal($"'-x {language}' is refused: only preprocessed input (-x cpp-output, -x c++-cpp-output) is compiled on the farm",
            _policy.Evaluate(["gcc", "-x", language, "-c", "a.c", "-o", "a.o"]).Refusal);

    [Fact]
    public void Preprocessed_language_forms_are_allowed() =>
        Assert.True(_policy.Evaluate(["gcc", "-x", "cpp-output", "-c", "a.i", "-o", "a.o"]).Allowed);

    [Theory]
    [InlineData("/tmp/a.o", "output '/tmp/a.o' is refused: absolute paths are not allowed")]
    [InlineData("../a.o", "output '../a.o' is refused: '..' is not allowed")]
    [InlineData("x/../../a.o", "output 'x/../../a.o' is refused: '..' is not allowed")]
    [InlineData("-a.o", "output '-a.o' is refused: the file name must be [A-Za-z0-9_][A-Za-z0-9._+-]*")]
    [InlineData("a.s", "output 'a.s' is refused: it must end in .o")]
    [InlineData("a b.o", "output 'a b.o' is refused: the file name must be [A-Za-z0-9_][A-Za-z0-9._+-]*")]
    public void Output_paths_that_are_not_plain_are_refused(string output, string reason) =>
        Assert.Equal(reason, _policy.Evaluate(["gcc", "-c", "a.c", "-o", output]).Refusal);

    [Theory]
    [InlineData(new[] { "gcc", "a.c", "-o", "a.o" }, "not a compile job (-c is missing)")]
    [InlineData(new[] { "gcc", "-c", "-o", "a.o" }, "no input file")]
    [InlineData(new[] { "gcc", "-c", "a.c" }, "no -o output")]
    [InlineData(new[] { "gcc", "-c", "a.c", "b.c", "-o", "a.o" }, "more than one input file ('a.c', 'b.c')")]
    [InlineData(new[] { "gcc", "-c", "a.c", "-o", "a.o", "-o", "b.o" }, "more than one -o output")]
    [InlineData(new[] { "gcc", "-c", "a.c", "-o" }, "argument 3 '-o' is missing its value")]
    [InlineData(new[] { "gcc", "-c", "/etc/passwd", "-o", "a.o" }, "input '/etc/passwd' (argument 2) is refused: absolute paths are not allowed")]
    [InlineData(new[] { "gcc", "-c", "a.so", "-o", "a.o" }, "input 'a.so' (argument 2) is refused: only C and C++ sources (.c .i .cc .cpp .cxx .C .ii) are compiled on the farm")]
    [InlineData(new[] { "gcc", "-c", "a.c", "-o", "a.o", "-D", "1X" }, "argument 6 '1X' after -D is not a plain macro definition")]
    public void Malformed_jobs_are_refused_with_the_reason(string[] argv, string reason) =>
        Assert.Equal(reason, _policy.Evaluate(argv).Refusal);

    [Fact]
    public void Control_characters_are_shown_escaped_in_the_reason() =>
        Assert.Equal("option '-\\u001b[31m' (argument 2) is refused: it is not on the gateway's allow list",
            _policy.Evaluate(["gcc", "-c", "-\u001b[31m", "a.c", "-o", "a.o"]).Refusal);

    [Fact]
    public void Extra_allowed_options_from_configuration_are_accepted()
    {
        var options = new FarmOptions { ExtraAllowedOptions = { "-fno-lifetime-dse" } };
        Assert.True(JobPolicy.From(options).Evaluate(["gcc", "-fno-lifetime-dse", "-c", "a.c", "-o", "a.o"]).Allowed);
    }

    [Theory]
    [InlineData("-fdump-tree-all", false)]
    [InlineData("-fplugin=x", false)]
    [InlineData("-Wa,-a", false)]
    [InlineData("-fprofile-update=atomic", false)]
    [InlineData("-ffoo=/etc/passwd", false)]
    [InlineData("-include", false)]
    [InlineData("-fno-lifetime-dse", true)]
    [InlineData("-mno-sse4.2", true)]
    public void Only_harmless_forms_may_be_added_to_the_allow_list(string option, bool acceptable) =>
        Assert.Equal(acceptable, JobPolicy.IsAcceptableExtraOption(option));

    public static TheoryData<string, string> FileNaming => new()
    {
        { "-fmodules-ts", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fno-modules-ts", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fmodules", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fmodule-mapper=x.map", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fmodule-header", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fmodule-only", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fmodule-file=m.gcm", "C++ modules read and write gcm.cache/ (or a mapper's files) on the farm host" },
        { "-fdeps-file=d.json", "dependency output writes files on the farm host" },
        { "-fdump-tree-all", "it writes files on the farm host" },
        { "-fdump-final-insns=x", "it writes files on the farm host" },
        { "-dumpbase", "it writes files on the farm host" },
        { "-dumpdir", "it writes files on the farm host" },
        { "-save-temps", "it writes files on the farm host" },
        { "-fopt-info-vec=v.txt", "it writes files on the farm host" },
        { "-fstack-usage", "it writes files on the farm host" },
        { "-fcallgraph-info", "it writes files on the farm host" },
        { "-fcallgraph-info=su", "it writes files on the farm host" },
        { "-aux-info", "it writes files on the farm host" },
        { "-fcompare-debug", "it writes files on the farm host" },
        { "-gsplit-dwarf", "split DWARF writes a .dwo file on the farm host" },
        { "-fdiagnostics-format=json-file", "diagnostics formats can write files on the farm host" },
        { "-fdiagnostics-format=sarif-file", "diagnostics formats can write files on the farm host" },
        { "-fdiagnostics-add-output=sarif:file=x", "diagnostics outputs can write files on the farm host" },
        { "-fpch-preprocess", "precompiled headers read files on the farm host" },
        { "-MD", "dependency output writes files on the farm host" },
        { "-MF", "dependency output writes files on the farm host" },
        { "-fprofile-use=p", "profile options read or write files on the farm host" },
        { "-fprofile-generate=p", "profile options read or write files on the farm host" },
        { "-fprofile-dir=p", "profile options read or write files on the farm host" },
        { "-fprofile-arcs", "profile options read or write files on the farm host" },
        { "-fauto-profile", "profile options read or write files on the farm host" },
        { "-fbranch-probabilities", "profile options read or write files on the farm host" },
        { "-ftest-coverage", "profile options read or write files on the farm host" },
        { "--coverage", "profile options read or write files on the farm host" },
        { "-fcondition-coverage", "profile options read or write files on the farm host" },
        { "-fplugin=x.so", "plugins load code into the farm's compiler" },
        { "-iplugindir=p", "plugins load code into the farm's compiler" },
        { "-specs=s", "spec files change what the compiler driver runs" },
        { "-wrapper", "-wrapper runs a program on the farm host" },
        { "-B.", "-B changes where the compiler driver finds its programs" },
        { "-fsanitize-blacklist=b", "it reads a file on the farm host" },
        { "-fsanitize-ignorelist=b", "it reads a file on the farm host" },
        { "-fltrans-output-list=l", "LTO stages read and write files named on the command line" },
        { "-fresolution=r", "LTO stages read and write files named on the command line" },
        { "-foffload=nvptx-none", "offloading runs other compilers on the farm host" },
        { "-fuse-ld=bfd", "it selects a linker on the farm host" },
        { "-fuse-linker-plugin", "it loads the linker plugin on the farm host" },
        { "-fself-test=d", "it reads files on the farm host" },
    };

    [Theory]
    [MemberData(nameof(FileNaming))]
    public void An_option_that_makes_the_compiler_open_a_file_by_name_is_refused_naming_why(string option, string why)
    {
        var d = _policy.Evaluate(["g++", "-c", option, "a.cc", "-o", "a.o"]);
        Assert.False(d.Allowed);
        Assert.Equal($"option '{option}' (argument 2) is refused: {why}", d.Refusal);
    }

    [Theory]
    [MemberData(nameof(FileNaming))]
    public void An_option_that_names_a_file_cannot_be_added_to_the_allow_list(string option, string why)
    {
        Assert.False(JobPolicy.IsAcceptableExtraOption(option), why);
        // Even an ExtraAllowedOptions that skipped validation cannot let it through.
        var policy = new JobPolicy(CompilerMap.From(new FarmOptions()), new HashSet<string>([option], StringComparer.Ordinal));
        Assert.False(policy.Evaluate(["g++", "-c", option, "a.cc", "-o", "a.o"]).Allowed);
    }

    [Theory]
    [InlineData("-frecord-gcc-switches")]
    [InlineData("-fuse-cxa-atexit")]
    [InlineData("-fno-use-cxa-atexit")]
    [InlineData("-fdiagnostics-color=never")]
    [InlineData("-flto-compression-level=3")]
    public void Options_that_open_nothing_are_still_allowed(string option) =>
        Assert.True(_policy.Evaluate(["g++", "-c", option, "a.cc", "-o", "a.o"]).Allowed, option);
}
