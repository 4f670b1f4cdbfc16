using Builder.EndToEnd.Tests.Support;

namespace Builder.EndToEnd.Tests;

/// <summary>
/// The full pipeline with its audit SMTP server on a port where nothing listens yet; <see cref="StartSmtpAsync"/> starts
/// a real aiosmtpd there (<see cref="LateSmtpServer"/>), storing into this host's own Maildir.
/// </summary>
public sealed class SmtpDownPipelineHost : PipelineHost
{
    private LateSmtpServer? _smtp;

    public override string Maildir => Smtp.Maildir;

    protected override string SmtpEndpoint => Smtp.Endpoint;

    // Made on first use: the base's Root is not set yet while this class's fields are initialized.
    private LateSmtpServer Smtp => _smtp ??= new LateSmtpServer(Root);

    public Task StartSmtpAsync() => Smtp.StartAsync();

    public override async Task DisposeAsync()
    {
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
