using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SmtpMock.Server.Hosting;
using SmtpMock.Server.Security;

namespace SmtpMock.Control.Api;

/// <summary>
/// <c>GET /api/v1/tls/certificate</c>: the certificate the server presents for STARTTLS and its TLS port, as PEM, so
/// a test in any language can trust exactly it (what <c>serve --tls-export-cert FILE</c> writes).
/// </summary>
internal sealed class TlsApi(SmtpMockServer server)
{
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/tls/certificate", Certificate);

    private Results<ContentHttpResult, ProblemHttpResult> Certificate() =>
        server.TlsCertificate is { } certificate
            ? TypedResults.Text(TlsCertificates.ExportPem(certificate), "application/x-pem-file")
            : Problems.NotFound("TLS is off on this server (--no-tls)");
}
