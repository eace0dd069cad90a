using System.Security.Cryptography.X509Certificates;

namespace SmtpMock.Cli.Tests;

/// <summary>At start the console names the security setup in force (issue #19 item 14).</summary>
public class SecuritySummaryTests
{
    private string _store = null!;

    [SetUp]
    public void MakeStore() => _store = Directory.CreateTempSubdirectory("smtpmock-summary-").FullName;

    [TearDown]
    public void RemoveStore() => Directory.Delete(_store, recursive: true);

    [Test]
    public async Task By_default_any_login_is_accepted_tls_is_offered_and_the_api_has_no_token()
    {
        var tls = await ServeRun.UntilAsync(["--store", _store], "TLS: ");
        Assert.That(tls, Does.StartWith("TLS: STARTTLS offered, not required (--require-tls to require it); certificate generated for localhost, kept in "));
        Assert.That(tls, Does.Contain(Path.Combine(_store, ".smtpmock", "tls", "localhost.pem")));

        var auth = await ServeRun.UntilAsync(["--store", _store], "AUTH: ");
        Assert.That(auth, Is.EqualTo("AUTH: any login accepted (--auth-user NAME:PASSWORD to check one); not required (--auth-required to require it); CRAM-MD5 before TLS, PLAIN LOGIN CRAM-MD5 XOAUTH2 over TLS"));

        var api = await ServeRun.UntilAsync(["--store", _store], "API: ");
        Assert.That(api, Does.StartWith("API: no token: anyone who can reach it reads every captured message"));
    }

    [Test]
    public async Task Configured_users_requirements_the_export_and_the_token_are_named()
    {
        var export = Path.Combine(_store, "exported.pem");
        string[] args = ["--store", _store, "--auth-user", "tim:x", "--auth-user", "ann:y", "--require-tls", "--auth-required", "--tls-export-cert", export, "--api-token", "t0ken"];

        var tls = await ServeRun.UntilAsync(args, "TLS: ");
        Assert.That(tls, Does.Contain("required (--require-tls: MAIL, RCPT, DATA, BDAT and AUTH before it get 530 5.7.0)").And.EndWith($", exported to {export}"));

        var auth = await ServeRun.UntilAsync(args, "AUTH: ");
        Assert.That(auth, Is.EqualTo("AUTH: only ann, tim with the configured passwords; required before MAIL (--auth-required); PLAIN LOGIN CRAM-MD5 XOAUTH2 over TLS only"));

        var api = await ServeRun.UntilAsync(args, "API: ");
        Assert.That(api, Does.StartWith("API: a token is required"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_generated_certificate_is_kept_private_and_reused_so_an_exported_pem_stays_valid()
    {
        var first = Path.Combine(_store, "first.pem");
        var second = Path.Combine(_store, "second.pem");

        var made = await ServeRun.UntilAsync(["--store", _store, "--tls-export-cert", first], "TLS: ");
        var reused = await ServeRun.UntilAsync(["--store", _store, "--tls-export-cert", second], "TLS: ");

        Assert.That(made, Does.Contain("reused on later starts"));
        Assert.That(reused, Does.Contain("on an earlier start"));
        using var a = X509CertificateLoader.LoadCertificateFromFile(first);
        using var b = X509CertificateLoader.LoadCertificateFromFile(second);
        Assert.That(b.Thumbprint, Is.EqualTo(a.Thumbprint), "the second start presents the first start's certificate");
        var kept = Path.Combine(_store, ".smtpmock", "tls", "localhost.pem");
        Assert.That(File.GetUnixFileMode(kept), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(kept)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task Without_tls_and_auth_the_lines_say_they_are_off()
    {
        var tls = await ServeRun.UntilAsync(["--no-tls", "--no-auth"], "TLS: ");
        var auth = await ServeRun.UntilAsync(["--no-tls", "--no-auth"], "AUTH: ");

        Assert.That(tls, Is.EqualTo("TLS: off (--no-tls): STARTTLS gets 502 5.5.1"));
        Assert.That(auth, Is.EqualTo("AUTH: off (--no-auth): AUTH gets 502 5.5.1"));
    }
}
