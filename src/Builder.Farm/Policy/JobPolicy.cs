using System.Text.RegularExpressions;

namespace Builder.Farm.Policy;

/// <summary>
/// Decides whether one compile job may go to the farm, and if so builds the argv that is forwarded: the compiler
/// mapped to the farm's, every option checked against <see cref="OptionRules"/>, exactly one <c>-c</c> job with one
/// input and one <c>-o</c> output, both reduced to their plain file names (distccd replaces them with its own temp
/// files anyway; the farm never sees a client path).
/// </summary>
internal sealed partial class JobPolicy(IReadOnlyDictionary<string, string> compilers, IReadOnlySet<string> extraOptions)
{
    private const int ShownArgumentLength = 120;

    public static JobPolicy From(FarmOptions options) =>
        new(CompilerMap.From(options), new HashSet<string>(options.ExtraAllowedOptions, StringComparer.Ordinal));

    public PolicyDecision Evaluate(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0)
        {
            return PolicyDecision.Refuse("empty argument list");
        }
        if (!compilers.TryGetValue(argv[0], out var farmCompiler))
        {
            return PolicyDecision.Refuse($"compiler '{Show(argv[0])}' is not an allowed compiler");
        }
        var forwarded = new List<string>(argv.Count) { farmCompiler };
        string? input = null, output = null;
        var compileOnly = false;
        for (var i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            switch (a)
            {
                case "-c":
                    compileOnly = true;
                    forwarded.Add(a);
                    continue;
                case "-o":
                case "-x":
                case "-D":
                case "-U":
                    if (i + 1 >= argv.Count)
                    {
                        return PolicyDecision.Refuse($"argument {i} '{a}' is missing its value");
                    }
                    break;
            }
            if (a == "-o" || (a.StartsWith("-o", StringComparison.Ordinal) && a.Length > 2))
            {
                var name = a == "-o" ? argv[++i] : a[2..];
                if (output is not null)
                {
                    return PolicyDecision.Refuse("more than one -o output");
                }
                if (!TryPlainName(name, out output, out var why) || !output.EndsWith(".o", StringComparison.Ordinal))
                {
                    return PolicyDecision.Refuse($"output '{Show(name)}' is refused: {why ?? "it must end in .o"}");
                }
                continue;
            }
            if (a is "-x" or "-xcpp-output" or "-xc++-cpp-output")
            {
                var language = a == "-x" ? argv[++i] : a[2..];
                if (language is not ("cpp-output" or "c++-cpp-output"))
                {
                    return PolicyDecision.Refuse($"'-x {Show(language)}' is refused: only preprocessed input (-x cpp-output, -x c++-cpp-output) is compiled on the farm");
                }
                forwarded.Add("-x");
                forwarded.Add(language);
                continue;
            }
            if (a is "-D" or "-U")
            {
                var value = argv[++i];
                if (!(a == "-D" ? OptionRules.IsMacroDefinition(value) : OptionRules.IsMacroName(value)))
                {
                    return PolicyDecision.Refuse($"argument {i} '{Show(value)}' after {a} is not a plain macro definition");
                }
                forwarded.Add(a);
                forwarded.Add(value);
                continue;
            }
            if (a.StartsWith('-'))
            {
                if (!OptionRules.IsAllowed(a, extraOptions))
                {
                    return PolicyDecision.Refuse($"option '{Show(a)}' (argument {i}) is refused: {OptionRules.Explain(a)}");
                }
                forwarded.Add(a);
                continue;
            }
            if (a.StartsWith('@'))
            {
                return PolicyDecision.Refuse($"'{Show(a)}' (argument {i}) is refused: {OptionRules.Explain(a)}");
            }
            if (input is not null)
            {
                return PolicyDecision.Refuse($"more than one input file ('{Show(input)}', '{Show(a)}')");
            }
            if (!TryPlainName(a, out input, out var inputWhy))
            {
                return PolicyDecision.Refuse($"input '{Show(a)}' (argument {i}) is refused: {inputWhy}");
            }
            if (!SourceName().IsMatch(input))
            {
                return PolicyDecision.Refuse($"input '{Show(a)}' (argument {i}) is refused: only C and C++ sources (.c .i .cc .cpp .cxx .C .ii) are compiled on the farm");
            }
        }
        if (!compileOnly)
        {
            return PolicyDecision.Refuse("not a compile job (-c is missing)");
        }
        if (input is null)
        {
            return PolicyDecision.Refuse("no input file");
        }
        if (output is null)
        {
            return PolicyDecision.Refuse("no -o output");
        }
        forwarded.Add("-o");
        forwarded.Add(output);
        forwarded.Add(input);
        return PolicyDecision.Allow(forwarded);
    }

    /// <summary>Whether an operator may add <paramref name="option"/> to Farm:ExtraAllowedOptions.</summary>
    public static bool IsAcceptableExtraOption(string option) =>
        FileNamingOptions.Reason(option) is null && ExtraOption().IsMatch(option) && OptionRules.Explain(option) == OptionRules.Explain("-fexample")
        && !option.StartsWith("-Wa", StringComparison.Ordinal) && !option.StartsWith("-Wp", StringComparison.Ordinal)
        && !option.StartsWith("-Wl", StringComparison.Ordinal);

    /// <summary>
    /// A relative path of plain components (no "..", nothing absolute, no leading '-'); its last component is the
    /// plain name that is forwarded.
    /// </summary>
    private static bool TryPlainName(string path, out string name, out string? why)
    {
        name = "";
        why = null;
        if (path.StartsWith('/'))
        {
            why = "absolute paths are not allowed";
            return false;
        }
        var parts = path.Split('/');
        foreach (var part in parts[..^1])
        {
            if (part == "..")
            {
                why = "'..' is not allowed";
                return false;
            }
            if (part.Length > 0 && part != "." && !PlainComponent().IsMatch(part))
            {
                why = "the path holds characters other than [A-Za-z0-9._+-]";
                return false;
            }
        }
        if (!PlainComponent().IsMatch(parts[^1]))
        {
            why = "the file name must be [A-Za-z0-9_][A-Za-z0-9._+-]*";
            return false;
        }
        name = parts[^1];
        return true;
    }

    private static string Show(string arg)
    {
        var shown = arg.Length > ShownArgumentLength ? arg[..ShownArgumentLength] + "…" : arg;
        return Regex.Replace(shown, @"[^\x20-\x7e]", m => $"\\u{(int)m.Value[0]:x4}");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._+-]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainComponent();

    [GeneratedRegex(@"\.(c|i|cc|cp|cpp|cxx|c\+\+|C|ii)$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceName();

    [GeneratedRegex(@"^-[fmWg][a-z0-9][a-z0-9+=.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExtraOption();
}
