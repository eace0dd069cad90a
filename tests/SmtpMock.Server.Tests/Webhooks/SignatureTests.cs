using SmtpMock.Server.Webhooks;

namespace SmtpMock.Server.Tests.Webhooks;

/// <summary>The signing scheme of docs/webhooks.md, against a value its Python verifier computes.</summary>
public class SignatureTests
{
    [Test]
    public void The_signature_is_the_documented_hmac_of_timestamp_dot_body()
    {
        // python3: hmac.new(b"whsec_test-secret", b"1748781015." + b'{"type":"session.ended"}', hashlib.sha256).hexdigest()
        var signature = WebhookSignature.Sign("whsec_test-secret"u8.ToArray(), 1748781015, "{\"type\":\"session.ended\"}"u8);
        Assert.That(signature, Is.EqualTo("sha256=a002f8d971a847e7a1b5347f8d14e45926128e877deae378a6e1e3438207b342"));
    }
}
