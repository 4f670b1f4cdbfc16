using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Builder.Audit.Options;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Builder.Audit.Mail;

/// <summary>
/// One SMTP session per message (MailKit). Returns only when the server accepted the message for every
/// recipient (MailKit fails the whole send when one RCPT is refused); otherwise throws a classified
/// <see cref="SmtpDeliveryException"/>.
/// </summary>
public sealed class SmtpMailTransport(IOptions<AuditOptions> options)
{
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value.Smtp;
        var where = $"{o.Host}:{o.Port}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(o.Timeout);
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, o.Timeout.TotalMilliseconds) };
        string? tlsProblem = null;
        if (!string.IsNullOrWhiteSpace(o.TrustedCaFile))
        {
            var caFile = o.TrustedCaFile;
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => TrustedByCa(caFile, certificate, errors, out tlsProblem);
        }
        try
        {
            await client.ConnectAsync(o.Host, o.Port, Socket(o.Tls), deadline.Token);
            if (!string.IsNullOrWhiteSpace(o.CredentialsFile))
            {
                var (user, password) = ReadCredentials(o.CredentialsFile);
                await client.AuthenticateAsync(user, password, deadline.Token);
            }
            var response = await client.SendAsync(message, deadline.Token);
            try
            {
                await client.DisconnectAsync(quit: true, deadline.Token);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or OperationCanceledException)
            {
                // The message is accepted; a server that drops QUIT changes nothing.
            }
            return response;
        }
        catch (Exception e) when ((e is OperationCanceledException && !cancellationToken.IsCancellationRequested) ||
                                  e is TimeoutException || e.InnerException is TimeoutException)
        {
            throw new SmtpDeliveryException(false, $"{where} did not answer within {o.Timeout.TotalSeconds:0.#} s", e);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var recipient = e.Mailbox is null ? "" : $" for {e.Mailbox.Address}";
            throw new SmtpDeliveryException(code >= 500, $"{where} answered {code}{recipient}: {e.Message}", e);
        }
        catch (SocketException e)
        {
            throw new SmtpDeliveryException(false, $"cannot connect to {where}: {e.SocketErrorCode}", e);
        }
        catch (SslHandshakeException e)
        {
            throw new SmtpDeliveryException(true, $"TLS with {where} failed: {tlsProblem ?? e.InnerException?.Message ?? e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            // The message names neither user nor password.
            throw new SmtpDeliveryException(true, $"{where} refused the credentials from Audit:Smtp:CredentialsFile", e);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or ServiceNotConnectedException)
        {
            throw new SmtpDeliveryException(false, $"{where}: {e.Message}", e);
        }
    }

    private static SecureSocketOptions Socket(SmtpTlsMode mode) => mode switch
    {
        SmtpTlsMode.None => SecureSocketOptions.None,
        SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
        SmtpTlsMode.Implicit => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    private static (string User, string Password) ReadCredentials(string path)
    {
        var lines = File.ReadLines(path).Take(3).ToList();
        if (lines.Count < 2 || lines[0].Length == 0)
        {
            throw new SmtpDeliveryException(true, "Audit:Smtp:CredentialsFile must hold the user name on line 1 and the password on line 2");
        }
        return (lines[0], lines[1]);
    }

    /// <summary>Accepts the server only if its chain ends at the configured CA; a name mismatch still fails.</summary>
    private static bool TrustedByCa(string caFile, X509Certificate? certificate, SslPolicyErrors errors, out string? problem)
    {
        problem = null;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            problem = $"the server's certificate is not acceptable ({errors})";
            return false;
        }
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A throwaway or private CA publishes no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(leaf))
        {
            return true;
        }
        problem = "the server's certificate does not chain to Audit:Smtp:TrustedCaFile: " +
            string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
        return false;
    }
}
