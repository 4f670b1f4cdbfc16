using System.Text.RegularExpressions;

namespace Builder.Farm.Policy;

/// <summary>
/// The allow list: options by exact form or a strict pattern. Nothing here names a file the compiler would open or
/// write; everything not matched is refused. <see cref="Explain"/> only improves the refusal message.
/// </summary>
internal static partial class OptionRules
{
    /// <summary>Boolean -f flags (each also allowed as -fno-…). None opens, loads or writes a file.</summary>
    private static readonly HashSet<string> FlagNames = new(StringComparer.Ordinal)
    {
        "PIC", "pic", "PIE", "pie", "plt", "common", "strict-aliasing", "strict-overflow", "wrapv", "trapv",
        "omit-frame-pointer", "exceptions", "non-call-exceptions", "rtti", "asynchronous-unwind-tables", "unwind-tables",
        "stack-clash-protection", "stack-protector", "stack-protector-all", "stack-protector-strong", "stack-protector-explicit",
        "builtin", "signed-char", "unsigned-char", "signed-bitfields", "unsigned-bitfields", "short-enums", "short-wchar",
        "ident", "inline", "inline-functions", "inline-small-functions", "inline-functions-called-once", "gnu89-inline",
        "tree-vectorize", "tree-loop-vectorize", "tree-slp-vectorize", "unroll-loops", "unroll-all-loops", "peel-loops",
        "function-sections", "data-sections", "fast-math", "math-errno", "trapping-math", "finite-math-only", "signed-zeros",
        "delete-null-pointer-checks", "semantic-interposition", "openmp", "openmp-simd", "permissive", "threadsafe-statics",
        "use-cxa-atexit", "visibility-inlines-hidden", "operator-names", "gnu-keywords", "implicit-templates",
        "diagnostics-show-option", "diagnostics-show-caret", "diagnostics-show-labels", "diagnostics-show-line-numbers",
        "show-column", "merge-constants", "merge-all-constants", "optimize-sibling-calls", "schedule-insns", "schedule-insns2",
        "gcse", "ipa-cp", "ipa-ra", "ipa-icf", "ivopts", "jump-tables", "keep-inline-functions", "keep-static-consts",
        "zero-initialized-in-bss", "align-loops", "align-jumps", "align-labels", "align-functions", "reorder-blocks",
        "reorder-functions", "prefetch-loop-arrays", "tree-pre", "tree-vrp", "strict-enums", "var-tracking",
        "var-tracking-assignments", "eliminate-unused-debug-types", "eliminate-unused-debug-symbols", "record-gcc-switches",
        "verbose-asm", "asm", "freestanding", "hosted", "pcc-struct-return", "reg-struct-return", "expensive-optimizations",
        "caller-saves", "split-wide-types", "tree-dce", "char8_t", "sized-deallocation", "lifetime-dse", "strict-volatile-bitfields",
        "isolate-erroneous-paths-dereference", "sanitize-recover", "sanitize-address-use-after-scope", "instrument-functions",
        "no-threadsafe-statics", "working-directory", "ms-extensions", "plan9-extensions", "dollars-in-identifiers",
        "allow-store-data-races", "code-hoisting", "tree-loop-distribute-patterns", "printf-return-value", "guess-branch-probability",
        "defer-pop", "pack-struct", "leading-underscore", "dwarf2-cfi-asm", "var-tracking-uninit", "elide-constructors",
        "enforce-eh-specs", "nothrow-opt", "access-control", "check-new", "concepts", "coroutines",
    };

    private static readonly HashSet<string> Exact = new(StringComparer.Ordinal)
    {
        "-c", "-pipe", "-pedantic", "-pedantic-errors", "-w", "-ansi", "-pthread", "-W", "-traditional-cpp",
    };

    public static bool IsAllowed(string arg, IReadOnlySet<string> extra)
    {
        if (FileNamingOptions.Reason(arg) is not null)
        {
            return false;
        }
        if (Exact.Contains(arg) || extra.Contains(arg))
        {
            return true;
        }
        if (arg.StartsWith("-f", StringComparison.Ordinal))
        {
            var name = arg.AsSpan(2);
            if (name.StartsWith("no-", StringComparison.Ordinal))
            {
                name = name[3..];
            }
            return FlagNames.Contains(name.ToString()) || ValuedFlag().IsMatch(arg) || PrefixMap().IsMatch(arg);
        }
        return Optimize().IsMatch(arg) || Debug().IsMatch(arg) || Standard().IsMatch(arg) || Warning().IsMatch(arg)
            || (Machine().IsMatch(arg) && !arg.EndsWith("=native", StringComparison.Ordinal))
            || Define().IsMatch(arg) || Undefine().IsMatch(arg);
    }

    public static bool IsMacroDefinition(string arg) => DefineBody().IsMatch(arg);

    public static bool IsMacroName(string arg) => MacroName().IsMatch(arg);

    /// <summary>
    /// Why a refused option is dangerous, for the SERR line (<see cref="FileNamingOptions"/> first); the generic answer
    /// when nothing specific applies.
    /// </summary>
    public static string Explain(string arg)
    {
        if (FileNamingOptions.Reason(arg) is { } fileNaming)
        {
            return fileNaming;
        }
        (string Prefix, string Why)[] reasons =
        [
            ("-Wa,", "options passed to the assembler bypass the gateway's checks"),
            ("-Wp,", "options passed to the preprocessor bypass the gateway's checks"),
            ("-Wl,", "options passed to the linker bypass the gateway's checks"),
            ("-X", "options passed to a sub-program bypass the gateway's checks"),
            ("-include", "it reads a file on the farm host"),
            ("-imacros", "it reads a file on the farm host"),
            ("-I", "it names a directory on the farm host"),
            ("-i", "it names a file or directory on the farm host"),
            ("--sysroot", "it names a directory on the farm host"),
            ("-L", "it names a directory on the farm host"),
            ("-l", "linking does not happen on the farm"),
            ("--", "it is not on the gateway's allow list"),
        ];
        foreach (var (prefix, why) in reasons)
        {
            if (arg.StartsWith(prefix, StringComparison.Ordinal))
            {
                return why;
            }
        }
        return "it is not on the gateway's allow list";
    }

    [GeneratedRegex(@"^-O([0-3]|s|fast|g|z)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Optimize();

    [GeneratedRegex(@"^-g([0-3]|gdb[0-3]?|dwarf(-[2-5])?|(no-)?(strict-dwarf|column-info|record-gcc-switches|statement-frontiers|variable-location-views|inline-points|describe-dies|pubnames|gnu-pubnames))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Debug();

    [GeneratedRegex(@"^-std=((c|gnu)(89|90|99|9x|11|1x|17|18|2x|23)|(c|gnu)\+\+(98|03|0x|11|1y|14|1z|17|2a|20|2b|23)|iso9899:(1990|199409|1999|199x|2011|2017|2018))$", RegexOptions.CultureInvariant)]
    private static partial Regex Standard();

    // -W<warning>[=<level>]: letters, digits and '-' only, so -Wa, -Wp, and -Wl, (which need a comma) never match.
    [GeneratedRegex(@"^-W(no-)?(error=|no-error=)?[a-z][a-z0-9+-]*(=[a-z0-9-]{1,32})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Warning();

    [GeneratedRegex(@"^-m(64|32|x32|80387|sse|sse2|sse3|ssse3|sse4|sse4\.1|sse4\.2|avx|avx2|avx512[a-z0-9]+|fma|fma4|f16c|bmi|bmi2|lzcnt|popcnt|pclmul|aes|sha|rdrnd|rdseed|movbe|cx16|sahf|crc32|adx|xsave|xsaveopt|red-zone|stackrealign|shstk|ibt|omit-leaf-frame-pointer|general-regs-only|indirect-branch-register|fentry|record-mcount|nop-mcount|no-[a-z0-9.-]{1,40}|tune=[a-z0-9-]{1,40}|arch=[a-z0-9-]{1,40}|fpmath=(sse|387)|abi=(sysv|ms)|tls-dialect=(gnu|gnu2)|cmodel=(small|kernel|medium|large)|align-data=(compat|abi|cacheline)|indirect-branch=(keep|thunk|thunk-inline|thunk-extern)|function-return=(keep|thunk|thunk-inline|thunk-extern))$", RegexOptions.CultureInvariant)]
    private static partial Regex Machine();

    [GeneratedRegex(@"^-f(visibility=(default|hidden|internal|protected)|cf-protection(=(full|branch|return|none|check))?|diagnostics-color(=(always|never|auto))?|message-length=[0-9]{1,6}|max-errors=[0-9]{1,6}|excess-precision=(fast|standard)|tls-model=(global-dynamic|local-dynamic|initial-exec|local-exec)|fp-contract=(off|on|fast)|zero-call-used-regs=[a-z-]{1,24}|input-charset=[A-Za-z0-9-]{1,24}|exec-charset=[A-Za-z0-9-]{1,24}|wide-exec-charset=[A-Za-z0-9-]{1,24}|(constexpr|template)-depth=[0-9]{1,6}|abi-version=[0-9]{1,3}|strict-flex-arrays(=[0-3])?|align-(functions|loops|jumps|labels)=[0-9]{1,4}|sanitize=[a-z,-]{1,200}|no-sanitize=[a-z,-]{1,200}|sanitize-recover=[a-z,-]{1,200}|no-builtin-[a-z0-9_]{1,40}|stack-check(=(specific|no))?|permitted-flt-eval-methods=(c11|ts-18661)|lto-compression-level=[0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuedFlag();

    // -ffile-prefix-map=OLD=NEW (dpkg-buildflags adds it to every Debian build): a string rewrite in debug info and
    // __FILE__, it opens nothing. OLD is an absolute path of plain characters, NEW a plain relative one.
    [GeneratedRegex(@"^-f(file|debug|macro)-prefix-map=/[A-Za-z0-9._+/-]{0,255}=[A-Za-z0-9._+/-]{0,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixMap();

    // -D/-U are inert on preprocessed input (the client stripped them already); allowed so a raw form is not refused.
    [GeneratedRegex(@"^-D[A-Za-z_][A-Za-z0-9_]{0,127}(=[\x20-\x7e]{0,512})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Define();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}(=[\x20-\x7e]{0,512})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DefineBody();

    [GeneratedRegex(@"^-U[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Undefine();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex MacroName();
}
