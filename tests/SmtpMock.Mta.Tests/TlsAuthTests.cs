using System.Globalization;
using System.Text.RegularExpressions;

namespace SmtpMock.Mta.Tests;

/// <summary>
/// Postfix as a production smarthost client: TLS required (<c>smtp_tls_security_level = encrypt</c>, trusting the
/// certificate SmtpMock exported) and a SASL login from a password table, against <c>--require-tls</c> and
/// <c>--auth-user</c>. A wrong password is a soft failure: the message waits in the queue until the table is fixed.
/// </summary>
[TestFixture]
public sealed partial class TlsAuthTests : MtaTest
{
    private const string Recipient = "tls-auth@example.com";

    [Test]
    public async Task A_wrong_password_defers_and_the_right_one_delivers_over_tls_as_the_user()
    {
        await StartMockAsync(null, "--auth-user", "app:secret", "--require-tls");
        var postfix = await CreatePostfixAsync(new Dictionary<string, string>
        {
            ["smtp_tls_security_level"] = "encrypt",
            ["smtp_tls_CAfile"] = Mock.CertificateFile,
            ["smtp_sasl_auth_enable"] = "yes",
            ["smtp_sasl_password_maps"] = "texthash:$config_directory/sasl_passwd",
            // Postfix's default refuses PLAIN and LOGIN even inside TLS; a real smarthost setup allows them there.
            ["smtp_sasl_security_options"] = "noanonymous",
            ["smtp_sasl_tls_security_options"] = "noanonymous",
        });
        postfix.WriteConfigFile("sasl_passwd", PasswordLine("wrong"));
        await postfix.StartAsync();

        await postfix.SubmitAsync(Sender, Recipient, "over TLS, logged in");

        await postfix.WaitForLogAsync(Delivery(Recipient, "deferred", @"\(SASL authentication failed; server .* said: 535 5\.7\.8 "));
        await postfix.WaitUntilDeferredAsync(Recipient, "said: 535 5.7.8");
        Assert.That(postfix.LogLines(Delivery(Recipient, "bounced")), Is.Empty, "a refused login is not a reason to bounce");
        Assert.That(await Mock.Api.MessagesAsync(), Is.Empty);

        postfix.WriteConfigFile("sasl_passwd", PasswordLine("secret"));
        await postfix.RestartAsync();
        await postfix.FlushAsync();

        await postfix.WaitForLogAsync(Delivery(Recipient, "sent", @"\(250 2\.0\.0 "));
        var captured = await Mock.Api.WaitForMessagesAsync(1, Recipient, Deadline);
        var envelope = Mock.ReadStoredEnvelope(captured.Single().Id);
        Assert.Multiple(() =>
        {
            Assert.That(envelope.Tls, Does.StartWith("TLSv1."), "the captured message is marked as received over TLS");
            Assert.That(envelope.AuthenticatedUser, Is.EqualTo("app"));
            Assert.That(postfix.LogLines(TrustedTls()), Is.Not.Empty, "Postfix verified the certificate SmtpMock exported");
            Assert.That(postfix.LogLines(Delivery(Recipient, "bounced")), Is.Empty);
            Assert.That(postfix.LogLines(SmtpClientComplaint()), Is.Empty, "Postfix's smtp client had nothing to complain about");
        });
    }

    /// <summary>A texthash table line: the relay host as main.cf names it, then user:password.</summary>
    private string PasswordLine(string password) =>
        string.Create(CultureInfo.InvariantCulture, $"[127.0.0.1]:{Mock.SmtpPort} app:{password}\n");

    [GeneratedRegex(@"postfix/smtp\[\d+\]: Trusted TLS connection established to 127\.0\.0\.1\[127\.0\.0\.1\]:\d+: TLSv1")]
    private static partial Regex TrustedTls();

    [GeneratedRegex(@"postfix/smtp\[\d+\]: (warning|error|fatal|panic):")]
    private static partial Regex SmtpClientComplaint();
}
