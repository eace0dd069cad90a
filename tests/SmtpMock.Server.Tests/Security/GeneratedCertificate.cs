using System.Security.Cryptography.X509Certificates;
using SmtpMock.Server.Security;

namespace SmtpMock.Server.Tests.Security;

/// <summary>One generated certificate for localhost, shared by the TLS fixtures, and the deadline for any handshake.</summary>
public abstract class GeneratedCertificate
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    /// <summary>Made once per test run (about 10 ms); read-only, so fixtures may share it whatever order they run in.</summary>
    protected static X509Certificate2 Certificate { get; } = TlsCertificates.Generate("localhost");
}
