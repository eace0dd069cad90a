using System.Net;
using Microsoft.AspNetCore.Http;

namespace SmtpMock.Control.Compat.MailHog;

/// <summary><c>/</c> on the MailHog port: MailHog's web page is not copied; this page says where SmtpMock's is.</summary>
internal static class MailHogHome
{
    public static Task WriteAsync(HttpContext context, Uri? page)
    {
        var link = page is null
            ? "<p>SmtpMock's own page is off (<code>--no-http</code>).</p>"
            : $"<p>Captured mail, sessions and scenarios (<code>mailhog-jim</code> among them) are on <a href=\"{WebUtility.HtmlEncode(page.ToString())}\">SmtpMock's page</a>.</p>";
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SmtpMock: MailHog API</title></head><body>"
            + "<h1>SmtpMock speaks MailHog's API here</h1>"
            + link
            + "<p>This port answers MailHog's <code>/api/v1</code> and <code>/api/v2</code> (messages, search, release, events, Jim). What is there and what is not: docs/migrating.md.</p>"
            + "</body></html>",
            context.RequestAborted);
    }
}
