namespace Builder.Core.Debian;

/// <summary>
/// Parses relation fields (Build-Depends and friends, Debian Policy 7.1 and 7.7) into structured
/// relations. Refuses what dpkg would warn about or not understand: obsolete &lt; and &gt;, mixed
/// negated and plain architectures, substitution variables, empty alternatives.
/// </summary>
internal static class RelationParser
{
    public const int MaxFieldLength = 64 * 1024;
    public const int MaxRelations = 2000;
    public const int MaxAlternatives = 64;

    /// <summary>Parses a field value; <paramref name="where"/> prefixes errors (e.g. <c>Build-Depends</c>).</summary>
    /// <exception cref="FormatException">naming the relation that is wrong and why.</exception>
    public static IReadOnlyList<Relation> Parse(string value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxFieldLength)
        {
            throw new FormatException($"{where}: longer than {MaxFieldLength} characters");
        }
        var relations = new List<Relation>();
        foreach (var raw in value.Split(','))
        {
            var text = raw.Trim();
            // A trailing comma (common in debian/control) leaves an empty element; dpkg accepts it.
            if (text.Length == 0)
            {
                continue;
            }
            if (relations.Count == MaxRelations)
            {
                throw new FormatException($"{where}: more than {MaxRelations} relations");
            }
            var alternatives = new List<PackageRelation>();
            foreach (var alt in text.Split('|'))
            {
                if (alternatives.Count == MaxAlternatives)
                {
                    throw new FormatException($"{where}: more than {MaxAlternatives} alternatives in '{DebianVersion.Printable(text)}'");
                }
                var a = alt.Trim();
                if (a.Length == 0)
                {
                    throw new FormatException($"{where}: empty alternative in '{DebianVersion.Printable(text)}'");
                }
                alternatives.Add(ParseOne(a, where));
            }
            relations.Add(new Relation(alternatives));
        }
        return relations;
    }

    private static PackageRelation ParseOne(string text, string where)
    {
        var p = new Cursor(text);
        var name = p.Take(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');
        if (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0]) || name.Length > 100)
        {
            throw Bad(where, text, "expected a package name (lowercase letters, digits, + - ., at least two characters)");
        }
        string? archQualifier = null;
        if (p.Skip(':'))
        {
            archQualifier = p.Take(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
            if (archQualifier.Length == 0)
            {
                throw Bad(where, text, "expected an architecture qualifier after ':'");
            }
        }
        p.SkipSpaces();
        VersionConstraint? version = null;
        if (p.Skip('('))
        {
            p.SkipSpaces();
            var op = p.Take(c => c is '<' or '>' or '=');
            var parsedOp = op switch
            {
                "<<" => RelationOperator.StrictlyEarlier,
                "<=" => RelationOperator.EarlierOrEqual,
                "=" => RelationOperator.Exactly,
                ">=" => RelationOperator.LaterOrEqual,
                ">>" => RelationOperator.StrictlyLater,
                "<" or ">" => throw Bad(where, text, $"the obsolete operator '{op}' is ambiguous; use '{op}{op}' or '{op}='"),
                _ => throw Bad(where, text, "expected one of << <= = >= >> after '('"),
            };
            p.SkipSpaces();
            var v = p.Take(c => c != ')' && !char.IsWhiteSpace(c));
            if (!DebianVersion.TryParse(v, out var parsed, out var error))
            {
                throw Bad(where, text, v.Length == 0 ? "missing version" : $"invalid version '{DebianVersion.Printable(v)}': {error}");
            }
            p.SkipSpaces();
            if (!p.Skip(')'))
            {
                throw Bad(where, text, "expected ')' after the version");
            }
            version = new VersionConstraint(parsedOp, parsed);
            p.SkipSpaces();
        }
        var arches = new List<ArchRestriction>();
        if (p.Skip('['))
        {
            foreach (var word in p.Until(']', where, text).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var negated = word.StartsWith('!');
                var arch = negated ? word[1..] : word;
                if (arch.Length == 0 || !arch.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                {
                    throw Bad(where, text, $"invalid architecture '{DebianVersion.Printable(word)}'");
                }
                arches.Add(new ArchRestriction(negated, arch));
            }
            if (arches.Count == 0)
            {
                throw Bad(where, text, "empty architecture list");
            }
            if (arches.Any(a => a.Negated) && arches.Any(a => !a.Negated))
            {
                throw Bad(where, text, "an architecture list is either all negated (!arch) or none");
            }
            p.SkipSpaces();
        }
        var profiles = new List<IReadOnlyList<BuildProfileTerm>>();
        while (p.Skip('<'))
        {
            var terms = new List<BuildProfileTerm>();
            foreach (var word in p.Until('>', where, text).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var negated = word.StartsWith('!');
                var profile = negated ? word[1..] : word;
                if (profile.Length == 0 || !char.IsAsciiLetterOrDigit(profile[0])
                    || !profile.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
                {
                    throw Bad(where, text, $"invalid build profile '{DebianVersion.Printable(word)}'");
                }
                terms.Add(new BuildProfileTerm(negated, profile));
            }
            if (terms.Count == 0)
            {
                throw Bad(where, text, "empty build profile list");
            }
            profiles.Add(terms);
            p.SkipSpaces();
        }
        if (!p.AtEnd)
        {
            throw Bad(where, text, $"unexpected '{p.Rest}'");
        }
        return new PackageRelation(name, archQualifier, version, arches, profiles);
    }

    private static FormatException Bad(string where, string relation, string problem) =>
        new($"{where}: '{DebianVersion.Printable(relation)}': {problem}");

    private sealed class Cursor(string text)
    {
        private int _i;

        public bool AtEnd => _i >= text.Length;

        public string Rest => DebianVersion.Printable(text[_i..]);

        public string Take(Func<char, bool> accept)
        {
            var start = _i;
            while (_i < text.Length && accept(text[_i]))
            {
                _i++;
            }
            return text[start.._i];
        }

        public bool Skip(char c)
        {
            if (_i < text.Length && text[_i] == c)
            {
                _i++;
                return true;
            }
            return false;
        }

        public void SkipSpaces()
        {
            while (_i < text.Length && char.IsWhiteSpace(text[_i]))
            {
                _i++;
            }
        }

        public string Until(char close, string where, string relation)
        {
            var end = text.IndexOf(close, _i);
            if (end < 0)
            {
                throw Bad(where, relation, $"missing '{close}'");
            }
            var inner = text[_i..end];
            _i = end + 1;
            return inner;
        }
    }
}
