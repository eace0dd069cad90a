using SmtpMock.Protocol.Grammar;

namespace SmtpMock.Protocol.Tests;

public class PathParserTests
{
    [TestCase("<user@example.com>", "user", "example.com")]
    [TestCase("<first.last@sub.example.com>", "first.last", "sub.example.com")]
    [TestCase("<\"john doe\"@example.com>", "\"john doe\"", "example.com")]
    [TestCase("<\"a\\\"b\"@example.com>", "\"a\\\"b\"", "example.com")]
    [TestCase("<user@[192.0.2.1]>", "user", "[192.0.2.1]")]
    [TestCase("<user@[IPv6:2001:db8::1]>", "user", "[IPv6:2001:db8::1]")]
    [TestCase("<用户@例子.广告>", "用户", "例子.广告")]
    [TestCase("<a+tag@x-y.example>", "a+tag", "x-y.example")]
    public void Accepts_rfc5321_mailboxes(string text, string local, string domain)
    {
        Assert.That(PathParser.TryParse(text, allowNull: false, allowPostmaster: false, out var path, out var length, out var error), Is.True, error);
        Assert.That(path.LocalPart, Is.EqualTo(local));
        Assert.That(path.Domain, Is.EqualTo(domain));
        Assert.That(length, Is.EqualTo(text.Length));
    }

    [Test]
    public void Accepts_the_null_path_only_where_allowed()
    {
        Assert.That(PathParser.TryParse("<>", allowNull: true, allowPostmaster: false, out var path, out _, out _), Is.True);
        Assert.That(path.IsNull, Is.True);
        Assert.That(PathParser.TryParse("<>", allowNull: false, allowPostmaster: true, out _, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("empty"));
    }

    [Test]
    public void Accepts_a_source_route_and_keeps_the_mailbox()
    {
        Assert.That(PathParser.TryParse("<@a.example,@b.example:u@c.example>", false, false, out var path, out _, out var error), Is.True, error);
        Assert.That(path.Address, Is.EqualTo("u@c.example"));
        Assert.That(path.SourceRoute, Is.EqualTo("@a.example,@b.example"));
    }

    [Test]
    public void Accepts_postmaster_without_a_domain_for_recipients()
    {
        Assert.That(PathParser.TryParse("<Postmaster>", false, allowPostmaster: true, out var path, out _, out _), Is.True);
        Assert.That(path.Address, Is.EqualTo("Postmaster"));
        Assert.That(PathParser.TryParse("<Postmaster>", true, allowPostmaster: false, out _, out _, out _), Is.False);
    }

    [TestCase("user@example.com", "enclosed")]
    [TestCase("<user@example.com", "closing")]
    [TestCase("<@x>", "source route")]
    [TestCase("<u@>", "empty domain")]
    [TestCase("<@x:u@>", "empty domain")]
    [TestCase("<u>", "missing @")]
    [TestCase("<.u@example.com>", "local part")]
    [TestCase("<u..v@example.com>", "local part")]
    [TestCase("<u@-bad.example>", "bad domain")]
    [TestCase("<u@exa mple.com>", "bad domain")]
    [TestCase("<u@[300.1.1.1]>", "bad domain")]
    [TestCase("<u@[IPv6:nothex]>", "bad domain")]
    [TestCase("<\"unterminated@example.com>", "closing")]
    public void Refuses_malformed_paths_with_a_reason(string text, string reason)
    {
        Assert.That(PathParser.TryParse(text, true, true, out _, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void Enforces_the_rfc5321_length_limits()
    {
        var local65 = new string('a', 65);
        Assert.That(PathParser.TryParse($"<{local65}@example.com>", false, false, out _, out _, out var e1), Is.False);
        Assert.That(e1, Does.Contain("64"));

        var local64 = new string('a', 64);
        Assert.That(PathParser.TryParse($"<{local64}@example.com>", false, false, out _, out _, out _), Is.True);

        var longDomain = string.Join('.', Enumerable.Repeat(new string('d', 62), 4)) + ".example";
        Assert.That(PathParser.TryParse($"<u@{longDomain}>", false, false, out _, out _, out var e2), Is.False);
        Assert.That(e2, Does.Contain("256"));
    }

    [Test]
    public void Knows_when_a_path_needs_smtputf8()
    {
        PathParser.TryParse("<ü@example.com>", false, false, out var utf8, out _, out _);
        PathParser.TryParse("<u@example.com>", false, false, out var ascii, out _, out _);
        Assert.That(utf8.IsInternational, Is.True);
        Assert.That(ascii.IsInternational, Is.False);
    }
}
