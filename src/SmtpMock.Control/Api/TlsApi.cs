using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
    public void Map(IEndpointRouteBuilder api) => api.MapGet("/tls/certificate", new RequestDelegate(CertificateAsync));

    private Task CertificateAsync(HttpContext context)
    {
        if (server.TlsCertificate is not { } certificate)
        {
            return Http.NotFound(context, "TLS is off on this server (--no-tls)");
        }

        context.Response.ContentType = "application/x-pem-file";
        return context.Response.WriteAsync(TlsCertificates.ExportPem(certificate), context.RequestAborted);
    }
}
