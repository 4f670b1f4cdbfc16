using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Builder.Core.Provenance;

namespace Builder.Cli.Provenance;

/// <summary>
/// <c>builder provenance verify &lt;envelope&gt; --cert CERT [&lt;file&gt;…]</c>: what a consumer of a published package
/// runs. Exit 0 verified, 40 the signature or the envelope is bad, 41 a file is not a subject with its digest, 42 something
/// could not be read. The signature is checked before any file: a subject list nobody signed proves nothing.
/// </summary>
internal static class ProvenanceVerifyCommand
{
    public static Command Create()
    {
        var envelope = new Argument<string>("envelope") { Description = "The DSSE envelope (GET /api/v1/builds/{id}/provenance)" };
        var files = new Argument<string[]>("file") { Description = "Files (.deb, .dsc, …) that must be subjects with their sha256", Arity = ArgumentArity.ZeroOrMore };
        var cert = new Option<string>("--cert")
        {
            Description = "PEM certificate the envelope must be signed with (the daemon's Audit:SigningCertificateFile)",
            Required = true,
        };
        var command = new Command("verify", """
            Check a provenance envelope's signature with the certificate, that its payload is an in-toto v1 statement with a
            SLSA v1 provenance predicate, and that each given file (by file name and the sha256 of its content) is a subject
            with that digest. Prints the subjects and 'verified'.
            Exit codes: 0 verified, 40 signature or envelope bad, 41 a file is not a subject with its sha256, 42 unreadable.
            """)
        {
            envelope, files, cert,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            byte[] envelopeBytes;
            X509Certificate2 certificate;
            List<ProvenanceFile> given;
            try
            {
                envelopeBytes = await ReadBoundedAsync(parse.GetValue(envelope)!, cancellationToken);
                certificate = await LoadCertificateAsync(parse.GetValue(cert)!, cancellationToken);
                given = await HashAsync(parse.GetValue(files) ?? [], cancellationToken);
            }
            catch (ProvenanceUnreadableException e)
            {
                await error.WriteLineAsync($"provenance verify: unreadable: {e.Message}");
                return (int)ExitCode.ProvenanceUnreadable;
            }
            using (certificate)
            {
                return (int)await VerifyAsync(output, envelopeBytes, certificate, given);
            }
        });
        return command;
    }

    private static async Task<ExitCode> VerifyAsync(TextWriter output, byte[] envelope, X509Certificate2 certificate, List<ProvenanceFile> files)
    {
        ProvenanceSubjectCheck check;
        try
        {
            var statement = DsseEnvelope.Verify(envelope, certificate);
            check = ProvenanceSubjects.Check(statement, files);
        }
        catch (ProvenanceException e)
        {
            await output.WriteLineAsync(e.Message);
            await output.WriteLineAsync("NOT VERIFIED");
            return ExitCode.ProvenanceInvalid;
        }
        await output.WriteLineAsync($"signed by sha256 fingerprint {DsseEnvelope.KeyId(certificate)}");
        foreach (var subject in check.Subjects)
        {
            await output.WriteLineAsync($"subject {subject.Name} sha256 {subject.Sha256}");
        }
        foreach (var problem in check.Errors)
        {
            await output.WriteLineAsync(problem);
        }
        if (!check.Ok)
        {
            await output.WriteLineAsync($"NOT VERIFIED: {check.Errors.Count} of {files.Count} file(s) do not match the subjects");
            return ExitCode.ProvenanceNotSubject;
        }
        await output.WriteLineAsync(files.Count == 0 ? "verified (signature only: no files given)" : $"verified ({files.Count} file(s) match)");
        return ExitCode.Ok;
    }

    /// <summary>The envelope's bytes; a file over the envelope limit is not read into memory, it is refused as the parser would.</summary>
    private static async Task<byte[]> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > DsseEnvelope.MaxEnvelopeBytes)
            {
                // Verify names the limit; a prefix one byte over it is enough for that message.
                await using var stream = File.OpenRead(path);
                var prefix = new byte[DsseEnvelope.MaxEnvelopeBytes + 1];
                await stream.ReadExactlyAsync(prefix, cancellationToken);
                return prefix;
            }
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProvenanceUnreadableException($"{path}: {e.Message}", e);
        }
    }

    private static async Task<X509Certificate2> LoadCertificateAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ProvenanceUnreadableException($"--cert {path}: {e.Message}", e);
        }
    }

    private static async Task<List<ProvenanceFile>> HashAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var list = new List<ProvenanceFile>();
        foreach (var path in paths)
        {
            try
            {
                await using var stream = File.OpenRead(path);
                list.Add(new ProvenanceFile(Path.GetFileName(path), Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken))));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProvenanceUnreadableException($"{path}: {e.Message}", e);
            }
        }
        return list;
    }
}
