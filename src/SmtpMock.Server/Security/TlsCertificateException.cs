namespace SmtpMock.Server.Security;

/// <summary>A TLS certificate or key that cannot be used, with a message fit for a <c>smtpmock:</c> error line.</summary>
public sealed class TlsCertificateException : Exception
{
    public TlsCertificateException()
    {
    }

    public TlsCertificateException(string message)
        : base(message)
    {
    }

    public TlsCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
