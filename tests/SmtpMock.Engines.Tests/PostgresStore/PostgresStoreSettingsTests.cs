using Npgsql;
using SmtpMock.PostgreSql;

namespace SmtpMock.Engines.Tests.PostgresStore;

/// <summary>The <c>--store postgresql://...</c> URI: read exactly, refused precisely, and never printed with its password.</summary>
[TestFixture]
internal sealed class PostgresStoreSettingsTests
{
    [Test]
    public void A_full_uri_gives_every_part_and_the_password_reaches_only_the_connection_string()
    {
        var settings = PostgresStoreSettings.Parse("postgresql://mail:s3cret@db.example.test:6543/capture", "from-env");

        Assert.That((settings.Host, settings.Port, settings.Database, settings.Username), Is.EqualTo(("db.example.test", 6543, "capture", "mail")));
        Assert.That(settings.Redacted, Is.EqualTo("postgresql://mail@db.example.test:6543/capture"));
        Assert.That(settings.ToString(), Is.EqualTo(settings.Redacted));
        Assert.That(settings.Description, Is.EqualTo("postgresql://db.example.test:6543/capture"));
        Assert.That(new NpgsqlConnectionStringBuilder(settings.ConnectionString()).Password, Is.EqualTo("s3cret"), "the URI's password wins over the environment");
    }

    [Test]
    public void Without_a_password_in_the_uri_the_environment_gives_it_and_postgres_scheme_and_default_port_work()
    {
        var settings = PostgresStoreSettings.Parse("postgres://mail@[::1]/capture?sslmode=require", "from-env");

        Assert.That((settings.Host, settings.Port, settings.SslMode), Is.EqualTo(("::1", 5432, (SslMode?)SslMode.Require)));
        Assert.That(settings.Redacted, Is.EqualTo("postgresql://mail@[::1]:5432/capture"));
        Assert.That(new NpgsqlConnectionStringBuilder(settings.ConnectionString()).Password, Is.EqualTo("from-env"));
        Assert.That(new NpgsqlConnectionStringBuilder(PostgresStoreSettings.Parse("postgresql://mail@h/d", null).ConnectionString()).Password, Is.Null);
    }

    [Test]
    public void A_percent_encoded_password_is_decoded()
    {
        var settings = PostgresStoreSettings.Parse("postgresql://mail:p%40ss%3Aw%2Fd@h:5432/d", null);

        Assert.That(new NpgsqlConnectionStringBuilder(settings.ConnectionString()).Password, Is.EqualTo("p@ss:w/d"));
        Assert.That(settings.Redacted, Does.Not.Contain("p%40ss").And.Not.Contain("p@ss"));
    }

    [TestCase("mysql://u:pw@h/d", "does not start with postgresql://")]
    [TestCase("postgresql://u:pw@h:5432/", "no database name")]
    [TestCase("postgresql://u:pw@h:5432", "no database name")]
    [TestCase("postgresql://h:5432/d", "no user name")]
    [TestCase("postgresql://:pw@h:5432/d", "no user name before the ':'")]
    [TestCase("postgresql://u:pw@h:5432/d/e", "has a '/'")]
    [TestCase("postgresql://u:pw@h:99999/d", "not a URI")]
    [TestCase("postgresql://u:pw@h:5432/d?timeout=3", "the parameter 'timeout' is not known")]
    [TestCase("postgresql://u:pw@h:5432/d?sslmode=maybe", "sslmode 'maybe'")]
    [TestCase("postgresql://u:p#w@h:5432/d", "not a URI")]
    public void A_bad_uri_is_refused_saying_what_is_wrong_without_the_password(string uri, string why)
    {
        var refused = Assert.Throws<FormatException>(() => PostgresStoreSettings.Parse(uri, null));

        Assert.That(refused!.Message, Does.StartWith("--store: not a PostgreSQL URI (postgresql://USER:PASSWORD@HOST:PORT/DB): ").And.Contain(why));
        Assert.That(refused.Message, Does.Not.Contain(":pw@").And.Not.Contain("p#w"));
    }

    [TestCase("postgresql://u@h/d", true)]
    [TestCase("POSTGRES://u@h/d", true)]
    [TestCase("/var/mail", false)]
    [TestCase("postgresql.d", false)]
    public void Only_a_postgresql_uri_selects_this_backend(string store, bool postgres) =>
        Assert.That(PostgresStoreSettings.IsPostgresUri(store), Is.EqualTo(postgres));
}
