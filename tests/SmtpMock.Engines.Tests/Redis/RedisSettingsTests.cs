using SmtpMock.Redis;

namespace SmtpMock.Engines.Tests.Redis;

/// <summary>The <c>--state</c> URI: what it reads, what it refuses and that the password never shows.</summary>
[TestFixture]
internal sealed class RedisSettingsTests
{
    [Test]
    public void Host_port_and_database_with_the_defaults_for_what_is_left_out()
    {
        var full = RedisSettings.Parse("redis://redis.internal:6380/2", null);
        var bare = RedisSettings.Parse("redis://127.0.0.1", null);

        Assert.That((full.Host, full.Port, full.Database, full.Tls, full.Namespace), Is.EqualTo(("redis.internal", 6380, 2, false, "smtpmock")));
        Assert.That((bare.Host, bare.Port, bare.Database), Is.EqualTo(("127.0.0.1", 6379, 0)));
        Assert.That(full.Description, Is.EqualTo("redis://redis.internal:6380/2"));
        Assert.That(bare.Description, Is.EqualTo("redis://127.0.0.1:6379"));
    }

    [Test]
    public void The_password_comes_from_the_uri_or_else_the_environment_and_is_never_shown()
    {
        var fromUri = RedisSettings.Parse("redis://app:s%3Acret@10.0.0.5:6379?namespace=staging", "from-env");
        var fromEnvironment = RedisSettings.Parse("redis://10.0.0.5:6379", "from-env");

        Assert.That((fromUri.User, fromUri.Password, fromUri.Namespace), Is.EqualTo(("app", "s:cret", "staging")));
        Assert.That(fromEnvironment.Password, Is.EqualTo("from-env"));
        Assert.That(fromUri.Description, Is.EqualTo("redis://10.0.0.5:6379?namespace=staging"));
        Assert.That(fromUri.ToString(), Does.Not.Contain("cret").And.Not.Contain("app"));
        Assert.That(RedisSettings.Parse("redis://:only-password@[::1]:7000", null), Has.Property("Password").EqualTo("only-password").And.Property("User").Null.And.Property("Description").EqualTo("redis://[::1]:7000"));
    }

    [Test]
    public void Rediss_is_tls()
    {
        Assert.That(RedisSettings.Parse("rediss://cache.example:6380", null).Tls, Is.True);
    }

    [TestCase("postgresql://u:p@h/db", "'postgresql://' is not a Redis address")]
    [TestCase("redis://", "not a Redis address")]
    [TestCase("redis://host:70000", "not a Redis address")]
    [TestCase("localhost:6379", "expected redis://HOST:PORT")]
    [TestCase("redis://host:6379/zero", "the database '/zero' is not a number")]
    [TestCase("redis://host:6379?ttl=5", "unknown parameter 'ttl'")]
    [TestCase("redis://host:6379?namespace=a:b", "namespace 'a:b' must be")]
    [TestCase("redis://host:6379#x", "no '#' part")]
    public void A_bad_address_says_what_is_wrong(string text, string expected)
    {
        Assert.That(() => RedisSettings.Parse(text, null), Throws.TypeOf<FormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void An_error_never_repeats_the_password()
    {
        Assert.That(() => RedisSettings.Parse("redis://u:hunter2@host:99999", null), Throws.TypeOf<FormatException>().With.Message.Not.Contains("hunter2"));
    }
}
