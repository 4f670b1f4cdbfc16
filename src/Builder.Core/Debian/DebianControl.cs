namespace Builder.Core.Debian;

/// <summary>
/// Parses debian/control (deb822: <c>Field: value</c>, continuation lines start with a space or tab, <c>#</c>
/// comment lines, stanzas separated by blank lines) into a <see cref="SourceControl"/>: the first stanza is the
/// source, every further one a binary package. Duplicate fields, a field without a colon, a binary stanza without
/// Package or Architecture, duplicate or colliding package names are errors naming the line, because the binary
/// stanzas decide which packages a build may publish.
/// </summary>
public static class DebianControl
{
    public const string FileName = "debian/control";

    public const int MaxBytes = 1024 * 1024;

    public const int MaxFields = 200;

    /// <summary>Most stanzas (source and binaries); the largest Debian sources have a few hundred binary packages.</summary>
    public const int MaxStanzas = 1000;

    /// <summary>Longest binary package name, as for source names.</summary>
    public const int MaxPackageNameLength = 64;

    /// <summary>The suffix debhelper appends to a package's automatic debug-symbols package.</summary>
    public const string DebugSymbolsSuffix = "-dbgsym";

    /// <exception cref="DebianFormatException">naming debian/control and the line.</exception>
    public static SourceControl ParseSource(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new DebianFormatException(FileName, 0, $"larger than {MaxBytes} bytes");
        }
        var stanzas = Deb822.ReadStanzas(text, FileName, MaxFields, MaxStanzas, RelationParser.MaxFieldLength);
        var fields = stanzas.Count > 0 ? stanzas[0] : Deb822Stanza.Empty;
        if (!fields.TryGetValue("source", out var source))
        {
            throw new DebianFormatException(FileName, fields.Line, "the first stanza has no Source field");
        }
        var name = source.Value.Trim();
        if (!IsValidPackageName(name))
        {
            throw new DebianFormatException(FileName, source.Line, $"Source: invalid source package name '{DebianVersion.Printable(name)}'");
        }
        return new SourceControl(
            name,
            Relations(fields, "Build-Depends"),
            Relations(fields, "Build-Depends-Indep"),
            Relations(fields, "Build-Depends-Arch"),
            Relations(fields, "Build-Conflicts"),
            Binaries(stanzas));
    }

    /// <summary>Debian Policy 5.6.1/5.6.7: lowercase letters, digits, + - ., at least two characters, starting alphanumeric.</summary>
    public static bool IsValidPackageName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length >= 2 && name.Length <= MaxPackageNameLength && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');
    }

    private static List<BinaryControl> Binaries(IReadOnlyList<Deb822Stanza> stanzas)
    {
        var binaries = new List<BinaryControl>();
        var byName = new Dictionary<string, BinaryControl>(StringComparer.Ordinal);
        foreach (var stanza in stanzas.Skip(1))
        {
            var binary = Binary(stanza);
            if (byName.TryGetValue(binary.Package, out var first))
            {
                throw new DebianFormatException(FileName, binary.Line, $"Package: '{binary.Package}' is declared twice (first at line {first.Line})");
            }
            byName[binary.Package] = binary;
            binaries.Add(binary);
        }
        // debhelper names the debug symbols of 'foo' 'foo-dbgsym'; a declared package of that name would be
        // indistinguishable from them in the output.
        foreach (var binary in binaries)
        {
            if (binary.Package.EndsWith(DebugSymbolsSuffix, StringComparison.Ordinal)
                && byName.TryGetValue(binary.Package[..^DebugSymbolsSuffix.Length], out var parent))
            {
                throw new DebianFormatException(FileName, binary.Line,
                    $"Package: '{binary.Package}' is the name of the automatic debug-symbols package of '{parent.Package}' (line {parent.Line})");
            }
        }
        return binaries;
    }

    private static BinaryControl Binary(Deb822Stanza stanza)
    {
        if (!stanza.TryGetValue("package", out var package))
        {
            throw new DebianFormatException(FileName, stanza.Line, "the binary stanza has no Package field");
        }
        var name = package.Value.Trim();
        if (!IsValidPackageName(name))
        {
            throw new DebianFormatException(FileName, package.Line,
                $"Package: invalid binary package name '{DebianVersion.Printable(name)}' (lowercase letters, digits, + - ., 2 to {MaxPackageNameLength} characters, starting alphanumeric)");
        }
        if (!stanza.TryGetValue("architecture", out var architecture))
        {
            throw new DebianFormatException(FileName, package.Line, $"binary package '{name}' has no Architecture field");
        }
        var arches = architecture.Value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (arches.Length == 0)
        {
            throw new DebianFormatException(FileName, architecture.Line, "Architecture: empty");
        }
        foreach (var arch in arches)
        {
            if (!DebianArchitecture.IsValidName(arch))
            {
                throw new DebianFormatException(FileName, architecture.Line, $"Architecture: invalid architecture '{DebianVersion.Printable(arch)}'");
            }
        }
        if (arches.Length > 1 && arches.Contains("all", StringComparer.Ordinal))
        {
            throw new DebianFormatException(FileName, architecture.Line, "Architecture: 'all' must stand alone");
        }
        var type = "deb";
        if (stanza.TryGetValue("package-type", out var packageType))
        {
            type = packageType.Value.Trim();
            if (type is not ("deb" or "udeb"))
            {
                throw new DebianFormatException(FileName, packageType.Line, $"Package-Type: expected 'deb' or 'udeb', found '{DebianVersion.Printable(type)}'");
            }
        }
        return new BinaryControl(name, arches, type, package.Line);
    }

    private static IReadOnlyList<Relation> Relations(Deb822Stanza fields, string name)
    {
        if (!fields.TryGetValue(name, out var field))
        {
            return [];
        }
        try
        {
            return RelationParser.Parse(field.Value, name);
        }
        catch (FormatException e)
        {
            throw new DebianFormatException(FileName, field.Line, e.Message);
        }
    }
}
