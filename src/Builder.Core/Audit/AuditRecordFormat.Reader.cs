using System.Globalization;
using System.Text;

namespace Builder.Core.Audit;

public static partial class AuditRecordFormat
{
    /// <summary>Reads the lines of one record in the fixed order; each failure names its line and field.</summary>
    private sealed class Reader(string[] lines)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        private int _index;

        public AuditRecord Read()
        {
            var formatVersion = MagicVersion();
            _index = 1;
            var seq = Number(AuditFields.Seq, min: 1);
            var prev = Next(AuditFields.Prev);
            if (seq == 1 ? prev != AuditFields.Genesis : !AuditValueRules.IsHash(prev))
            {
                Fail(AuditFields.Prev, seq == 1 ? "seq 1 must have prev 'genesis'" : AuditValueRules.HashExpectation);
            }
            var eventName = Next(AuditFields.Event);
            if (!AuditFields.TryParseEvent(eventName, out var ev))
            {
                Fail(AuditFields.Event, $"expected '{AuditFields.BuildStartEvent}', '{AuditFields.BuildEndEvent}' or '{AuditFields.CheckpointEvent}'");
            }
            if ((ev == AuditEvent.Checkpoint) != (formatVersion == CheckpointVersion))
            {
                Fail(AuditFields.Event, CheckpointVersionRule);
            }
            if (ev == AuditEvent.Checkpoint)
            {
                return ReadCheckpoint(seq, prev);
            }
            var build = Number(AuditFields.Build, min: 1);
            var pocket = Required(AuditFields.Pocket, AuditValueRules.IsPocket, "expected a pocket name [a-z0-9][a-z0-9-]*");
            var package = Required(AuditFields.Package, AuditValueRules.IsPackage, "expected a Debian source package name");
            var commit = Optional(AuditFields.Commit, v => AuditValueRules.IsLowerHex(v, 40), "expected 40 lowercase hex digits");
            var version = Optional(AuditFields.Version, AuditValueRules.IsVersion, "expected a Debian version");
            var requester = Required(AuditFields.Requester, AuditValueRules.IsPrincipal, "expected a principal name");
            var key = Required(AuditFields.Key, AuditValueRules.IsKeyFingerprint, "expected an OpenSSH 'SHA256:' fingerprint");
            var acl = Required(AuditFields.Acl, AuditValueRules.IsHash, AuditValueRules.HashExpectation);
            var image = Optional(AuditFields.Image, AuditValueRules.IsHash, AuditValueRules.HashExpectation);
            var host = Required(AuditFields.Host, AuditValueRules.IsHost, "expected a host name");
            var time = Time();
            var deps = formatVersion == 1 ? BuildDepsV1() : BuildDepsV2();
            var copyOf = formatVersion == 1 ? NoCopyOf() : CopyOf(seq);
            var request = Base64Text(AuditFields.Request, AuditValueRules.MaxRequestBytes);
            var signature = Base64Text(AuditFields.Signature, AuditValueRules.MaxSignatureBytes);
            var provenance = formatVersion >= ProvenanceVersion ? Provenance(ev) : NoProvenance(formatVersion);
            var record = new AuditRecord
            {
                FormatVersion = formatVersion, Seq = seq, Prev = prev, Event = ev, Build = build, Pocket = pocket, Package = package,
                Commit = commit, Version = version, Requester = requester, Key = key, Acl = acl, Image = image, Host = host, Time = time,
                BuildDeps = deps, CopyOf = copyOf, Request = request, Signature = signature, Provenance = provenance,
            };
            if (ev == AuditEvent.BuildEnd)
            {
                record = ReadEnd(record);
            }
            if (_index < lines.Length)
            {
                throw new AuditRecordFormatException(_index + 1, "record", "unexpected line after the last field");
            }
            return record;
        }

        /// <summary>
        /// Host and time, nothing else. A build field where one of them belongs is named as such: the record is a
        /// checkpoint, and a checkpoint certifies the chain, never a build.
        /// </summary>
        private AuditRecord ReadCheckpoint(long seq, string prev)
        {
            NoBuildField();
            var host = Required(AuditFields.Host, AuditValueRules.IsHost, "expected a host name");
            NoBuildField();
            var time = Time();
            NoBuildField();
            if (_index < lines.Length)
            {
                throw new AuditRecordFormatException(_index + 1, "record", "unexpected line after the last field");
            }
            return AuditRecord.Checkpoint(seq, prev, host, time);
        }

        private void NoBuildField()
        {
            if (_index >= lines.Length)
            {
                return;
            }
            var key = lines[_index].Split(' ', 2)[0];
            if (!AuditFields.CheckpointFields.Contains(key) && (AuditFields.Common.Contains(key) || AuditFields.EndOnly.Contains(key)))
            {
                _index++;
                Fail(key, NotACheckpointField);
            }
        }

        /// <summary>Line 1: <c>builder-audit</c> and a version this reader knows.</summary>
        private int MagicVersion()
        {
            const string prefix = AuditFields.MagicName + " ";
            if (lines[0].StartsWith(prefix, StringComparison.Ordinal) && IsCanonicalNumber(lines[0][prefix.Length..], out var version))
            {
                if (version is < FirstVersion or > LatestVersion)
                {
                    throw new AuditRecordFormatException(1, "magic", UnsupportedVersion(version));
                }
                return (int)version;
            }
            throw new AuditRecordFormatException(1, "magic", $"expected '{AuditFields.Magic(FirstVersion)}' to '{AuditFields.Magic(LatestVersion)}'");
        }

        private AuditRecord ReadEnd(AuditRecord record)
        {
            var resultName = Next(AuditFields.Result);
            if (!AuditFields.TryParseResult(resultName, out var result))
            {
                Fail(AuditFields.Result, "expected 'succeeded', 'failed' or 'cancelled'");
            }
            var stage = Optional(AuditFields.FailedStage, AuditValueRules.IsStage, "expected a stage of lowercase letters and dashes");
            if ((result == AuditResult.Failed) != (stage.Length > 0))
            {
                Fail(AuditFields.FailedStage, "is given exactly when the result is 'failed'");
            }
            if (record.Provenance.Length > 0 && result != AuditResult.Succeeded)
            {
                throw new AuditRecordFormatException(LineOf(AuditFields.Provenance, record.FormatVersion), AuditFields.Provenance,
                    "is given only when the result is 'succeeded'");
            }
            var artifacts = Artifacts();
            var jobs = CompileJobs();
            return record with { Result = result, FailedStage = stage, Artifacts = artifacts, CompileJobs = jobs };
        }

        private string Next(string field)
        {
            if (_index >= lines.Length)
            {
                throw new AuditRecordFormatException(_index + 1, field, "missing");
            }
            var line = lines[_index++];
            if (line == field)
            {
                return "";
            }
            if (!line.StartsWith(field + " ", StringComparison.Ordinal))
            {
                Fail(field, $"expected field '{field}'");
            }
            var value = line[(field.Length + 1)..];
            if (value.Length == 0 || value[0] == ' ' || value[^1] == ' ' || value.Contains("  ", StringComparison.Ordinal))
            {
                Fail(field, "values are separated by single spaces, without leading or trailing space");
            }
            return value;
        }

        private string Required(string field, Func<string, bool> valid, string expectation)
        {
            var value = Next(field);
            if (!valid(value))
            {
                Fail(field, value.Length == 0 ? "must not be empty" : expectation);
            }
            return value;
        }

        private string Optional(string field, Func<string, bool> valid, string expectation)
        {
            var value = Next(field);
            if (value.Length > 0 && !valid(value))
            {
                Fail(field, expectation);
            }
            return value;
        }

        private long Number(string field, long min)
        {
            var value = Next(field);
            if (!IsCanonicalNumber(value, out var n) || n < min)
            {
                Fail(field, $"expected a decimal number >= {min} without leading zeros");
            }
            return n;
        }

        private static bool IsCanonicalNumber(string value, out long n)
        {
            n = 0;
            return value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit) && (value.Length == 1 || value[0] != '0') &&
                long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        }

        private DateTimeOffset Time()
        {
            var value = Next(AuditFields.Time);
            if (!DateTime.TryParseExact(value, TimeFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                Fail(AuditFields.Time, "expected UTC time as yyyy-MM-ddTHH:mm:ssZ");
            }
            return new DateTimeOffset(t, TimeSpan.Zero);
        }

        /// <summary>Version 1: <c>name=version</c> tokens.</summary>
        private List<AuditBuildDependency> BuildDepsV1()
        {
            var value = Next(AuditFields.BuildDeps);
            var deps = new List<AuditBuildDependency>();
            if (value.Length == 0)
            {
                return deps;
            }
            var tokens = value.Split(' ');
            if (tokens.Length > AuditValueRules.MaxBuildDeps)
            {
                Fail(AuditFields.BuildDeps, $"{tokens.Length} entries exceed the limit of {AuditValueRules.MaxBuildDeps}");
            }
            foreach (var token in tokens)
            {
                var (name, version) = NameVersion(token, deps.Count + 1);
                deps.Add(new AuditBuildDependency(name, version));
            }
            return deps;
        }

        /// <summary>Version 2: <c>name=version origin sha256</c> triples, each name=version once.</summary>
        private List<AuditBuildDependency> BuildDepsV2()
        {
            var value = Next(AuditFields.BuildDeps);
            var deps = new List<AuditBuildDependency>();
            if (value.Length == 0)
            {
                return deps;
            }
            var tokens = value.Split(' ');
            if (tokens.Length % 3 != 0)
            {
                Fail(AuditFields.BuildDeps, $"{tokens.Length} values are not triples of name=version, origin and sha256");
            }
            if (tokens.Length / 3 > AuditValueRules.MaxBuildDeps)
            {
                Fail(AuditFields.BuildDeps, $"{tokens.Length / 3} entries exceed the limit of {AuditValueRules.MaxBuildDeps}");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < tokens.Length; i += 3)
            {
                var entry = (i / 3) + 1;
                var (name, version) = NameVersion(tokens[i], entry);
                if (!AuditValueRules.IsDependencyOrigin(tokens[i + 1]))
                {
                    Fail(AuditFields.BuildDeps, $"entry {entry}: the origin is neither '{AuditDependencyOrigin.Mirror}' nor '{AuditDependencyOrigin.PocketPrefix}<pocket name>'");
                }
                if (!AuditValueRules.IsLowerHex(tokens[i + 2]))
                {
                    Fail(AuditFields.BuildDeps, $"entry {entry}: expected the .deb's sha256 as 64 lowercase hex digits");
                }
                if (!seen.Add(tokens[i]))
                {
                    Fail(AuditFields.BuildDeps, $"entry {entry}: {tokens[i]} is listed twice");
                }
                deps.Add(new AuditBuildDependency(name, version, tokens[i + 1], tokens[i + 2]));
            }
            return deps;
        }

        private (string Name, string Version) NameVersion(string token, int entry)
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !AuditValueRules.IsDependencyName(token[..eq]) || !AuditValueRules.IsVersion(token[(eq + 1)..]))
            {
                Fail(AuditFields.BuildDeps, $"entry {entry} is not name=version");
            }
            return (token[..eq], token[(eq + 1)..]);
        }

        /// <summary>Version 1 has no copy-of line; one there is named as such rather than as a misspelt request.</summary>
        private AuditCopySource? NoCopyOf()
        {
            if (_index < lines.Length && (lines[_index] == AuditFields.CopyOf || lines[_index].StartsWith(AuditFields.CopyOf + " ", StringComparison.Ordinal)))
            {
                _index++;
                Fail(AuditFields.CopyOf, $"is not a field of {AuditFields.Magic(1)} records");
            }
            return null;
        }

        /// <summary>
        /// Version 4: empty, or on a build-end record <c>sha256:&lt;hex&gt;</c> of the provenance envelope. A build-start
        /// record has nothing to point at yet: a value there is refused, not carried.
        /// </summary>
        private string Provenance(AuditEvent ev)
        {
            var value = Optional(AuditFields.Provenance, AuditValueRules.IsHash, AuditValueRules.HashExpectation);
            if (value.Length > 0 && ev == AuditEvent.BuildStart)
            {
                Fail(AuditFields.Provenance, "is empty in build-start records");
            }
            return value;
        }

        /// <summary>Versions 1 and 2 have no provenance line; one there is named as such rather than as a misspelt result.</summary>
        private string NoProvenance(int formatVersion)
        {
            if (_index < lines.Length && (lines[_index] == AuditFields.Provenance || lines[_index].StartsWith(AuditFields.Provenance + " ", StringComparison.Ordinal)))
            {
                _index++;
                Fail(AuditFields.Provenance, $"is not a field of {AuditFields.Magic(formatVersion)} records");
            }
            return "";
        }

        /// <summary>Version 2: empty, or <c>&lt;build&gt; &lt;seq&gt;</c> naming an earlier record of the chain.</summary>
        private AuditCopySource? CopyOf(long seq)
        {
            var value = Next(AuditFields.CopyOf);
            if (value.Length == 0)
            {
                return null;
            }
            var parts = value.Split(' ');
            if (parts.Length != 2 || !IsCanonicalNumber(parts[0], out var build) || build < 1 || !IsCanonicalNumber(parts[1], out var source) || source < 1)
            {
                Fail(AuditFields.CopyOf, "expected '<build> <seq>', two decimal numbers >= 1 without leading zeros");
                return null;
            }
            if (source >= seq)
            {
                Fail(AuditFields.CopyOf, $"names seq {source}, which is not before this record's seq {seq}");
            }
            return new AuditCopySource(build, source);
        }

        private string Base64Text(string field, int maxBytes)
        {
            var value = Next(field);
            if (value.Length == 0)
            {
                Fail(field, "must not be empty");
            }
            if (value.Length > ((maxBytes + 2) / 3 * 4) || value.AsSpan().ContainsAnyExcept(Base64Chars))
            {
                Fail(field, $"expected base64 of at most {maxBytes} bytes");
            }
            var buffer = new byte[value.Length / 4 * 3];
            if (!Convert.TryFromBase64String(value, buffer, out var written) || written > maxBytes)
            {
                Fail(field, $"expected base64 of at most {maxBytes} bytes");
            }
            try
            {
                return StrictUtf8.GetString(buffer, 0, written);
            }
            catch (DecoderFallbackException)
            {
                Fail(field, "the decoded text is not valid UTF-8");
                throw;
            }
        }

        private List<AuditArtifact> Artifacts()
        {
            var value = Next(AuditFields.Artifacts);
            var artifacts = new List<AuditArtifact>();
            if (value.Length == 0)
            {
                return artifacts;
            }
            var tokens = value.Split(' ');
            if (tokens.Length % 2 != 0)
            {
                Fail(AuditFields.Artifacts, "expected pairs of name and sha256");
            }
            if (tokens.Length / 2 > AuditValueRules.MaxArtifacts)
            {
                Fail(AuditFields.Artifacts, $"{tokens.Length / 2} artifacts exceed the limit of {AuditValueRules.MaxArtifacts}");
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < tokens.Length; i += 2)
            {
                if (!AuditValueRules.IsArtifactName(tokens[i]) || !AuditValueRules.IsLowerHex(tokens[i + 1]))
                {
                    Fail(AuditFields.Artifacts, $"artifact {(i / 2) + 1} is not a file name followed by 64 lowercase hex digits");
                }
                if (!names.Add(tokens[i]))
                {
                    Fail(AuditFields.Artifacts, $"artifact '{tokens[i]}' is listed twice");
                }
                artifacts.Add(new AuditArtifact(tokens[i], tokens[i + 1]));
            }
            return artifacts;
        }

        private AuditCompileJobs? CompileJobs()
        {
            var value = Next(AuditFields.CompileJobs);
            if (value.Length == 0)
            {
                return null;
            }
            var parts = value.Split(' ');
            if (parts.Length != 2 || !IsCanonicalNumber(parts[0], out var count) || !AuditValueRules.IsHash(parts[1]))
            {
                Fail(AuditFields.CompileJobs, "expected '<count> sha256:<64 lowercase hex digits>'");
                return null;
            }
            return new AuditCompileJobs(count, parts[1]);
        }

        private void Fail(string field, string problem) => throw new AuditRecordFormatException(_index, field, problem);

        private const string Base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    }
}
