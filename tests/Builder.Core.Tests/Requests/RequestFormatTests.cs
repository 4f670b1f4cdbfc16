using System.Text;
using Builder.Core.Requests;

namespace Builder.Core.Tests.Requests;

public sealed class RequestFormatTests
{
    private const string Commit = "9f1c2e3d4b5a69788796a5b4c3d2e1f009f1c2e3";
    private const string Nonce = "0123456789abcdef0123456789abcdef";

    private const string Submit =
        "builder-request 1\naction submit\npocket dev\npackage hello\ncommit " + Commit +
        "\nrequester alice\nnonce " + Nonce + "\nissued 2026-11-22T17:30:00Z\n";

    private const string Cancel =
        "builder-request 1\naction cancel\npocket prod\nbuild 42\nrequester bob\nnonce " + Nonce + "\nissued 2026-11-22T17:30:00Z\n";

    private static readonly DateTimeOffset Issued = new(2026, 11, 22, 17, 30, 0, TimeSpan.Zero);

    private static BuildRequest ParseText(string text) => RequestFormat.Parse(Encoding.UTF8.GetBytes(text));

    private static RequestFormatException Rejects(string text) => Assert.Throws<RequestFormatException>(() => ParseText(text));

    [Fact]
    public void Submit_with_commit_parses_into_every_field()
    {
        var r = ParseText(Submit);

        Assert.Equal(new BuildRequest(RequestAction.Submit, "dev", "hello", Commit, null, "alice", Nonce, Issued), r);
        Assert.Equal(TimeSpan.Zero, r.Issued.Offset);
    }

    [Fact]
    public void Submit_without_commit_means_head_and_has_null_commit()
    {
        var r = ParseText(Submit.Replace("commit " + Commit + "\n", "", StringComparison.Ordinal));

        Assert.Null(r.Commit);
        Assert.Equal("hello", r.Package);
    }

    [Fact]
    public void Cancel_names_pocket_and_build_id()
    {
        var r = ParseText(Cancel);

        Assert.Equal(new BuildRequest(RequestAction.Cancel, "prod", null, null, 42, "bob", Nonce, Issued), r);
    }

    [Theory]
    [InlineData(Submit)]
    [InlineData(Cancel)]
    public void Serialize_reproduces_the_canonical_bytes(string text)
    {
        Assert.Equal(text, RequestFormat.Serialize(ParseText(text)));
    }

    [Fact]
    public void Serialize_of_a_new_request_round_trips_through_Parse()
    {
        var r = new BuildRequest(RequestAction.Submit, "dev", "libfoo+bar.2", null, null, "_ci-bot", RequestFormat.NewNonce(),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        var text = RequestFormat.Serialize(r);

        Assert.Equal(r, ParseText(text));
        Assert.Contains("issued 2026-01-02T01:04:05Z\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_drops_fractions_of_a_second()
    {
        var r = new BuildRequest(RequestAction.Cancel, "dev", null, null, 7, "alice", Nonce, Issued.AddMilliseconds(999));

        Assert.EndsWith("issued 2026-11-22T17:30:00Z\n", RequestFormat.Serialize(r), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dev", "pocket")]
    [InlineData("", "pocket")]
    [InlineData(null, "package")]
    public void Serialize_refuses_a_bad_value_and_names_the_field(string? value, string field)
    {
        var r = field == "pocket"
            ? new BuildRequest(RequestAction.Submit, value!, "hello", null, null, "alice", Nonce, Issued)
            : new BuildRequest(RequestAction.Submit, "dev", value, null, null, "alice", Nonce, Issued);

        var e = Assert.Throws<ArgumentException>(() => RequestFormat.Serialize(r));
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void Serialize_refuses_a_cancel_without_build_id()
    {
        var r = new BuildRequest(RequestAction.Cancel, "dev", null, null, null, "alice", Nonce, Issued);

        Assert.Equal("build", Assert.Throws<ArgumentException>(() => RequestFormat.Serialize(r)).ParamName);
    }

    [Fact]
    public void NewNonce_is_32_lowercase_hex_digits_and_fresh_each_time()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => RequestFormat.NewNonce()).ToList();

        Assert.All(nonces, n => Assert.Matches("^[0-9a-f]{32}$", n));
        Assert.Equal(nonces.Count, nonces.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    // Malformed lines.
    [InlineData("builder-request 1\naction  submit\n", 2, null, "line 2: malformed line 'action  submit'; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\naction submit \n", 2, null, "line 2: malformed line 'action submit '; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\n action submit\n", 2, null, "line 2: malformed line ' action submit'; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\nactionsubmit\n", 2, null, "line 2: malformed line 'actionsubmit'; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\naction\tsubmit\n", 2, null, "line 2: malformed line 'action\\x09submit'; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\nAction submit\n", 2, null, "line 2: malformed line 'Action submit'; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\n\naction submit\n", 2, null, "line 2: blank line; a request has no blank lines")]
    [InlineData("builder-request 1\r\naction submit\r\n", 1, null, "line 1: CR in line; lines end with LF only")]
    [InlineData("builder-request 1\naction submit", 2, null, "line 2: the line does not end with LF (every line ends with LF, the last one too)")]
    // Header and action.
    [InlineData("builder-request 2\n", 1, "builder-request", "line 1: unsupported request version '2'; this server reads 'builder-request 1'")]
    [InlineData("action submit\n", 1, "builder-request", "line 1: field 'builder-request' expected, found 'action'")]
    [InlineData("builder-request 1\naction build\n", 2, "action", "line 2: field 'action': 'build' is not 'submit' or 'cancel'")]
    // Unknown, duplicate, misplaced fields.
    [InlineData("builder-request 1\naction submit\npocket dev\nversion 1.0\n", 4, "version", "line 4: unknown field 'version'")]
    [InlineData("builder-request 1\naction submit\npocket dev\npocket prod\n", 4, "pocket", "line 4: duplicate field 'pocket'")]
    [InlineData("builder-request 1\naction submit\npackage hello\npocket dev\n", 3, "pocket", "line 3: field 'pocket' expected, found 'package'")]
    [InlineData("builder-request 1\naction submit\npocket dev\nrequester alice\n", 4, "package", "line 4: field 'package' expected, found 'requester'")]
    [InlineData("builder-request 1\naction submit\npocket dev\nbuild 4\n", 4, "build", "line 4: field 'build' does not belong in a submit request")]
    [InlineData("builder-request 1\naction cancel\npocket dev\npackage hello\n", 4, "package", "line 4: field 'package' does not belong in a cancel request")]
    [InlineData("builder-request 1\naction cancel\npocket dev\nbuild 4\nrequester a\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-11-22T17:30:00Z\naction cancel\n",
        8, "action", "line 8: duplicate field 'action'")]
    // Missing fields.
    [InlineData("builder-request 1\n", null, "action", "field 'action' is missing (the request ends after line 1)")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123456789abcdef0123456789abcdef\n",
        null, "issued", "field 'issued' is missing (the request ends after line 6)")]
    [InlineData("builder-request 1\naction cancel\npocket dev\n", null, "build", "field 'build' is missing (the request ends after line 3)")]
    // Bad values.
    [InlineData("builder-request 1\naction submit\npocket Dev\n", 3, "pocket", "line 3: field 'pocket': 'Dev' is not a pocket name ([a-z0-9][a-z0-9-]*, at most 64 characters)")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage h\n", 4, "package", "line 4: field 'package': 'h' is not a Debian source package name ([a-z0-9][a-z0-9+.-]+, at most 64 characters)")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\ncommit 9F1C2E3D4B5A69788796A5B4C3D2E1F009F1C2E3\n", 5, "commit", "line 5: field 'commit': '9F1C2E3D4B5A69788796A5B4C3D2E1F009F1C2E3' is not a commit id (exactly 40 lowercase hex digits)")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\nrequester Alice\n", 5, "requester", "line 5: field 'requester': 'Alice' is not a principal name ([a-z_][a-z0-9_-]*, at most 32 characters)")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123\n", 6, "nonce", "line 6: field 'nonce': '0123' is not a nonce (exactly 32 lowercase hex digits)")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-11-22 17:30:00\n", 7, null, "line 7: malformed line 'issued 2026-11-22 17:30:00'; expected '<field> <value>' separated by one space")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-11-22T17:30:00+01:00\n", 7, "issued", "line 7: field 'issued': '2026-11-22T17:30:00+01:00' is not a UTC time of the form 2026-11-22T17:30:00Z")]
    [InlineData("builder-request 1\naction submit\npocket dev\npackage hello\nrequester alice\nnonce 0123456789abcdef0123456789abcdef\nissued 2026-02-30T17:30:00Z\n", 7, "issued", "line 7: field 'issued': '2026-02-30T17:30:00Z' is not a UTC time of the form 2026-11-22T17:30:00Z")]
    [InlineData("builder-request 1\naction cancel\npocket dev\nbuild 042\n", 4, "build", "line 4: field 'build': '042' is not a build id (a positive integer without leading zeros)")]
    [InlineData("builder-request 1\naction cancel\npocket dev\nbuild 0\n", 4, "build", "line 4: field 'build': '0' is not a build id (a positive integer without leading zeros)")]
    [InlineData("builder-request 1\naction cancel\npocket dev\nbuild 9223372036854775808\n", 4, "build", "line 4: field 'build': '9223372036854775808' is not a build id (a positive integer without leading zeros)")]
    [InlineData("builder-request 1\naction cancel\npocket dev\nbuild -5\n", 4, "build", "line 4: field 'build': '-5' is not a build id (a positive integer without leading zeros)")]
    public void Malformed_request_is_rejected_naming_line_and_field(string text, int? line, string? field, string message)
    {
        var e = Rejects(text);

        Assert.Equal(message, e.Message);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Line_after_issued_is_rejected()
    {
        var e = Rejects(Submit.Replace("commit " + Commit + "\n", "", StringComparison.Ordinal) + "commit " + Commit + "\n");

        Assert.Equal("line 8: field 'commit' after 'issued', which is the last field", e.Message);
    }

    [Fact]
    public void Request_over_4096_bytes_is_rejected_before_parsing()
    {
        var text = Submit + new string('x', RequestFormat.MaxBytes);

        Assert.Equal($"the request is {Encoding.UTF8.GetByteCount(text)} bytes; at most 4096 are allowed", Rejects(text).Message);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        var bytes = Encoding.UTF8.GetBytes(Submit);
        bytes[30] = 0xff;

        var e = Assert.Throws<RequestFormatException>(() => RequestFormat.Parse(bytes));
        Assert.Equal("the request is not valid UTF-8", e.Message);
    }

    [Fact]
    public void Empty_request_is_rejected()
    {
        Assert.Equal("the request is empty", Rejects("").Message);
    }

    [Fact]
    public void Untrusted_value_in_a_message_is_escaped_and_cut()
    {
        var e = Rejects("builder-request 1\naction submit\npocket \u001b[31m" + new string('a', 100) + "\n");

        Assert.Equal("line 3: field 'pocket': '\\x1b[31m" + new string('a', 35) + "...' is not a pocket name ([a-z0-9][a-z0-9-]*, at most 64 characters)", e.Message);
    }

    [Fact]
    public void Non_ascii_value_is_rejected_as_bad_value()
    {
        var e = Rejects("builder-request 1\naction submit\npocket dév\n");

        Assert.Equal("line 3: field 'pocket': 'd\\xe9v' is not a pocket name ([a-z0-9][a-z0-9-]*, at most 64 characters)", e.Message);
    }
}
