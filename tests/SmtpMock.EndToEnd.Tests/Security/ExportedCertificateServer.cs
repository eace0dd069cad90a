using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.EndToEnd.Tests.Security;

/// <summary>
/// A server with STARTTLS, an implicit TLS port and one user (tim / right) for each test, and its certificate
/// exported as PEM the way <c>--tls-export-cert</c> writes it, for external clients to verify against.
/// </summary>
public abstract class ExportedCertificateServer
{
    protected SmtpMockServer Server { get; private set; } = null!;

    /// <summary>The PEM file of the server's certificate.</summary>
    protected string Certificate { get; private set; } = null!;

    private string _directory = null!;

    [SetUp]
    public async Task StartServer()
    {
        _directory = Directory.CreateTempSubdirectory("smtpmock-e2e-tls-").FullName;
        Server = await TestServer.StartAsync(o => o with { ImplicitTlsPort = 0, AuthUsers = new Dictionary<string, string> { ["tim"] = "right" } });
        Certificate = Path.Combine(_directory, "smtpmock.pem");
        TlsCertificates.ExportPemFile(Server.TlsCertificate!, Certificate);
    }

    [TearDown]
    public async Task StopServer()
    {
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
