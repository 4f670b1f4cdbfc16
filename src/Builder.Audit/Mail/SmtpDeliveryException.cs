namespace Builder.Audit.Mail;

/// <summary>
/// A delivery the server did not accept. Transient (connection refused, timeout, 4xx) means retry later;
/// permanent (5xx, TLS or authentication failure) means hold the build and alert an admin.
/// </summary>
public sealed class SmtpDeliveryException : Exception
{
    public SmtpDeliveryException()
    {
    }

    public SmtpDeliveryException(string message) : base(message)
    {
    }

    public SmtpDeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SmtpDeliveryException(bool permanent, string message, Exception? innerException = null) : base(message, innerException)
    {
        Permanent = permanent;
    }

    public bool Permanent { get; }
}
