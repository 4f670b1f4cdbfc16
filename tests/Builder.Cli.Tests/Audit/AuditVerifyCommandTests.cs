using System.Net;
using System.Text;
using System.Text.Json;
using Builder.Cli.Audit;
using Builder.Tests.Common;
using MimeKit;
using MimeKit.Cryptography;

namespace Builder.Cli.Tests.Audit;

/// <summary>`builder audit verify` over a real aiosmtpd Maildir, untouched and tampered with in each way an attacker could.</summary>
[Trait(Categories.Name, Categories.Integration)]
public sealed class AuditVerifyCommandTests(AuditMailboxFixture mailbox) : IClassFixture<AuditMailboxFixture>
{
    [Fact]
    public async Task An_untouched_mailbox_is_intact()
    {
        var (code, output, error) = await RunAsync(mailbox.CopyMaildir(), "--cert", mailbox.CertificateFile);
        Assert.Equal(ExitCode.Ok, code);
        Assert.StartsWith("6 audit mails of 6 (seq 1-6); signer sha256 fingerprint ", output, StringComparison.Ordinal);
        Assert.EndsWith("intact\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_one_byte_of_one_record_is_reported_at_its_seq()
    {
        var maildir = mailbox.CopyMaildir();
        var file = mailbox.FileOf(maildir, 3);
        var text = await File.ReadAllTextAsync(file);
        // A character in the middle of the record's base64 body, changed to another base64 character.
        var body = text.IndexOf("\n\n", text.IndexOf("filename=audit-3.txt", StringComparison.Ordinal), StringComparison.Ordinal) + 2 + 30;
        var chars = text.ToCharArray();
        chars[body] = chars[body] == 'A' ? 'B' : 'A';
        await File.WriteAllTextAsync(file, new string(chars));

        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains(": seq 3: ", output, StringComparison.Ordinal);
        Assert.EndsWith("first bad seq 3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_record_is_a_gap_at_its_seq()
    {
        var maildir = mailbox.CopyMaildir();
        File.Delete(mailbox.FileOf(maildir, 4));
        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains("gap: seq 4: missing from the mailbox\n", output, StringComparison.Ordinal);
        Assert.EndsWith("TAMPERED: 1 problem(s); first bad seq 4\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_swapped_records_are_reported_as_reordered()
    {
        var maildir = mailbox.CopyMaildir();
        var (two, three) = (mailbox.FileOf(maildir, 2), mailbox.FileOf(maildir, 3));
        var (a, b) = (await File.ReadAllBytesAsync(two), await File.ReadAllBytesAsync(three));
        await File.WriteAllBytesAsync(two, b);
        await File.WriteAllBytesAsync(three, a);

        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains($"reordered: seq 2: {mailbox.Files[3]}: arrived after seq 3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicated_record_is_reported_at_its_seq()
    {
        var maildir = mailbox.CopyMaildir();
        File.Copy(mailbox.FileOf(maildir, 2), Path.Combine(maildir, "new", "9999999999.M1P1Q1.copy"));
        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains($"duplicate: seq 2: the same record appears 2 times ({mailbox.Files[2]}, 9999999999.M1P1Q1.copy)\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_record_with_a_valid_looking_hash_but_the_wrong_signature_is_reported()
    {
        var maildir = mailbox.CopyMaildir();
        var file = mailbox.FileOf(maildir, 5);
        var original = MimeMessage.Load(file);
        var signed = Assert.IsType<MultipartSigned>(original.Body);
        using var content = new MemoryStream();
        await ((TextPart)signed[0]).Content!.DecodeToAsync(content);
        // Same seq and prev (so the chain links), another host, the hash header recomputed to match.
        var forged = Encoding.ASCII.GetString(content.ToArray()).Replace("\nhost builder1.test\n", "\nhost builder9.test\n", StringComparison.Ordinal);
        Assert.NotEqual(Encoding.ASCII.GetString(content.ToArray()), forged);
        var part = new TextPart("plain")
        {
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(forged))),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        using var mallory = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(mailbox.OtherCertificateFile, mailbox.OtherKeyFile);
        using var context = new TemporarySecureMimeContext();
        original.Body = await MultipartSigned.CreateAsync(context, new CmsSigner(mallory) { DigestAlgorithm = DigestAlgorithm.Sha256 }, part);
        original.Headers["X-Builder-Audit-Hash"] = Builder.Core.Audit.AuditRecordFormat.Hash(forged);
        await original.WriteToAsync(file);

        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains($"bad-signature: seq 5: {mailbox.Files[5]}: signature does not verify: signed by 'CN=builder mallory', not by the expected certificate\n", output, StringComparison.Ordinal);
        Assert.EndsWith("first bad seq 5\n", output, StringComparison.Ordinal);

        // Without --cert the first signer found is the reference: the forger's certificate still stands out.
        var (again, output2, _) = await RunAsync(maildir);
        Assert.Equal(ExitCode.AuditTampered, again);
        Assert.Contains("bad-signature: seq 5: ", output2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_mbox_names_the_seq_of_the_cut_record()
    {
        var mbox = Path.Combine(TestEnvironment.NewTempDirectory("audit-mbox"), "audit.mbox");
        await WriteMboxAsync(mbox, mailbox.Files.OrderBy(f => f.Key).Select(f => Path.Combine(mailbox.Maildir, "new", f.Value)));
        var (intact, intactOutput, _) = await RunAsync(mbox, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.Ok == intact, intactOutput);

        var bytes = await File.ReadAllBytesAsync(mbox);
        var lastStart = Encoding.ASCII.GetString(bytes).LastIndexOf("\nFrom ", StringComparison.Ordinal);
        await File.WriteAllBytesAsync(mbox, bytes[..(lastStart + ((bytes.Length - lastStart) * 2 / 3))]);

        var (code, output, error) = await RunAsync(mbox, "--cert", mailbox.CertificateFile);
        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains(": seq 6: mbox message 6: ", output, StringComparison.Ordinal);
        Assert.EndsWith("first bad seq 6\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_message_in_an_mbox_is_skipped_by_its_length_and_the_records_after_it_are_read()
    {
        var mbox = Path.Combine(TestEnvironment.NewTempDirectory("audit-mbox-flood"), "audit.mbox");
        await WriteMboxAsync(mbox, mailbox.Files.OrderBy(f => f.Key).Select(f => Path.Combine(mailbox.Maildir, "new", f.Value)));
        var text = Encoding.ASCII.GetString(await File.ReadAllBytesAsync(mbox));
        // Between records 3 and 4: one junk mail of 64 MiB, far over the limit for one message.
        var fourth = text.IndexOf("\nFrom ", text.IndexOf("\nFrom ", text.IndexOf("\nFrom ", StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 1, StringComparison.Ordinal) + 1;
        var junk = "From flood@example.org Sun Dec  6 22:00:00 2026\nSubject: flood\n\n" + string.Concat(Enumerable.Repeat(new string('x', 1023) + "\n", 64 * 1024));
        await File.WriteAllTextAsync(mbox, text[..fourth] + junk + text[fourth..]);

        var (code, output, error) = await RunAsync(mbox, "--cert", mailbox.CertificateFile);

        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains($"mbox message 4: {junk.Length} bytes exceed the limit of {4 * Builder.Core.Audit.AuditRecordFormat.MaxRecordBytes} for one message", output, StringComparison.Ordinal);
        // Every record, also those after the junk, is read and the chain is whole.
        Assert.StartsWith("7 audit mails of 7 (seq 1-6); ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gap:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_seq_skips_records_archived_elsewhere()
    {
        var maildir = mailbox.CopyMaildir();
        File.Delete(mailbox.FileOf(maildir, 1));
        File.Delete(mailbox.FileOf(maildir, 2));
        Assert.Equal(ExitCode.AuditTampered, (await RunAsync(maildir, "--cert", mailbox.CertificateFile)).Code);
        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile, "--from-seq", "3");
        Assert.Equal(ExitCode.Ok, code);
        Assert.Contains("(seq 3-6)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_the_server_lists_what_the_mailbox_lacks_and_records_never_delivered()
    {
        var maildir = mailbox.CopyMaildir();
        File.Delete(mailbox.FileOf(maildir, 6));
        await using var server = await RecordsServer.StartAsync(mailbox);

        var (code, output, error) = await RunAsync(maildir, "--cert", mailbox.CertificateFile, "--against", server.Url);

        Assert.True(ExitCode.AuditTampered == code, output + error);
        Assert.Contains("server-mismatch: seq 6: build ", output, StringComparison.Ordinal);
        Assert.Contains("'s build-end record (Message-ID <audit.6.", output, StringComparison.Ordinal);
        Assert.Contains("is on the server but not in the mailbox\n", output, StringComparison.Ordinal);
        Assert.Contains($"not-delivered: seq {mailbox.UndeliveredSeq}: the server stored no Message-ID for build ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gap:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_foreign_mailbox_is_unreadable()
    {
        var dir = TestEnvironment.NewTempDirectory("audit-unreadable");
        var (missing, _, error) = await RunAsync(Path.Combine(dir, "nothing-here"));
        Assert.Equal(ExitCode.AuditUnreadable, missing);
        Assert.Equal($"audit verify: unreadable: {Path.Combine(dir, "nothing-here")}: no such Maildir or mbox file\n", error);

        var text = Path.Combine(dir, "notes.txt");
        await File.WriteAllTextAsync(text, "hello\n");
        var (foreign, _, error2) = await RunAsync(text);
        Assert.Equal(ExitCode.AuditUnreadable, foreign);
        Assert.Contains("not an mbox file", error2, StringComparison.Ordinal);

        var (badCert, _, error3) = await RunAsync(mailbox.CopyMaildir(), "--cert", text);
        Assert.Equal(ExitCode.AuditUnreadable, badCert);
        Assert.Contains($"--cert {text}: not a readable PEM certificate", error3, StringComparison.Ordinal);
    }

    private static async Task<(ExitCode Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await AuditVerifyCommand.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return ((ExitCode)code, output.ToString(), error.ToString());
    }

    /// <summary>Appends the mails, in the order given (delivery order), as an mbox file.</summary>
    private static async Task WriteMboxAsync(string mbox, IEnumerable<string> mails)
    {
        await using var stream = File.Create(mbox);
        foreach (var file in mails)
        {
            await stream.WriteAsync("From builder@builder.test Sun Nov 22 17:30:00 2026\n"u8.ToArray());
            foreach (var line in await File.ReadAllLinesAsync(file))
            {
                // mboxrd quoting of body lines that look like separators.
                var quoted = line.StartsWith("From ", StringComparison.Ordinal) ? ">" + line : line;
                await stream.WriteAsync(Encoding.ASCII.GetBytes(quoted + "\n"));
            }
            await stream.WriteAsync("\n"u8.ToArray());
        }
    }

    /// <summary>The daemon's GET /api/v1/audit/records, served from the fixture's database by a loopback HttpListener.</summary>
    private sealed class RecordsServer : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Task _loop;

        private RecordsServer(HttpListener listener, Task loop, string url)
        {
            _listener = listener;
            _loop = loop;
            Url = url;
        }

        public string Url { get; }

        public static Task<RecordsServer> StartAsync(AuditMailboxFixture fixture)
        {
            var port = TestPorts.Unused();
            var url = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(url);
            listener.Start();
            var loop = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext ctx;
                    try
                    {
                        ctx = await listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    var from = long.Parse(ctx.Request.QueryString["from"]!, System.Globalization.CultureInfo.InvariantCulture);
                    // Pages of two records (a third tells whether there is a next page), to exercise "next".
                    var page = await fixture.Records.ListAsync(from, 3, CancellationToken.None);
                    var more = page.Count == 3;
                    var body = JsonSerializer.SerializeToUtf8Bytes(new
                    {
                        records = page.Take(2).Select(r => new { seq = r.Seq, hash = r.Hash, build = r.BuildId, @event = r.Event, messageId = r.MessageId, acceptedAt = r.AcceptedAt }),
                        next = more ? page[2].Seq : (long?)null,
                    });
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.OutputStream.WriteAsync(body);
                    ctx.Response.Close();
                }
            });
            return Task.FromResult(new RecordsServer(listener, loop, url));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
