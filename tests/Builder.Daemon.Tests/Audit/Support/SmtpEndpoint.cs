using Builder.Tests.Common;

namespace Builder.Daemon.Tests.Audit.Support;

/// <summary>The SMTP servers ops/test starts (ops/test.d/20-smtp.sh).</summary>
internal static class SmtpEndpoint
{
    public const string Plain = "BUILDER_TEST_SMTP";
    public const string PlainMaildir = "BUILDER_TEST_SMTP_MAILDIR";
    public const string StartTls = "BUILDER_TEST_SMTP_TLS";
    public const string StartTlsMaildir = "BUILDER_TEST_SMTP_TLS_MAILDIR";
    public const string Implicit = "BUILDER_TEST_SMTPS";
    public const string ImplicitMaildir = "BUILDER_TEST_SMTPS_MAILDIR";
    public const string Ca = "BUILDER_TEST_SMTP_TLS_CA";

    public static (string Host, int Port) Require(string variable)
    {
        var value = TestEnvironment.Require(variable);
        var colon = value.LastIndexOf(':');
        return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
