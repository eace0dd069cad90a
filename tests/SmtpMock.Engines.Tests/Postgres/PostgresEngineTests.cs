using Npgsql;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Postgres;

/// <summary>The PostgreSQL harness does what the store tests of issue #21 will lean on: real auth, real durability, outages.</summary>
[TestFixture]
internal sealed class PostgresEngineTests : EngineFixture<PostgresEngine>
{
    protected override async Task<PostgresEngine> StartAsync()
    {
        var engine = await PostgresEngine.StartAsync();
        await TestContext.Progress.WriteLineAsync($"postgres: initdb {engine.InitTime.TotalMilliseconds:0} ms");
        return engine;
    }

    [Test]
    public async Task Select_1_through_npgsql_on_the_generated_connection_string()
    {
        await using var source = Engine.CreateDataSource();
        await using var command = source.CreateCommand("SELECT 1");

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_server_runs_durable_on_loopback_only()
    {
        await using var source = Engine.CreateDataSource();

        Assert.Multiple(async () =>
        {
            Assert.That(await ShowAsync(source, "fsync"), Is.EqualTo("on"));
            Assert.That(await ShowAsync(source, "synchronous_commit"), Is.EqualTo("on"));
            Assert.That(await ShowAsync(source, "listen_addresses"), Is.EqualTo("127.0.0.1"));
            Assert.That(await ShowAsync(source, "port"), Is.EqualTo(Engine.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void The_uri_names_the_user_password_port_and_database_of_the_connection_string()
    {
        var uri = new Uri(Engine.Uri);
        var builder = new NpgsqlConnectionStringBuilder(Engine.ConnectionString);

        Assert.Multiple(() =>
        {
            Assert.That(uri.Scheme, Is.EqualTo("postgresql"));
            Assert.That(uri.UserInfo, Is.EqualTo($"{builder.Username}:{builder.Password}"));
            Assert.That(uri.Host, Is.EqualTo(builder.Host));
            Assert.That(uri.Port, Is.EqualTo(builder.Port));
            Assert.That(uri.AbsolutePath, Is.EqualTo("/" + builder.Database));
        });
    }

    [Test]
    public async Task A_wrong_password_is_refused_so_the_product_must_pass_the_real_one()
    {
        var builder = new NpgsqlConnectionStringBuilder(Engine.ConnectionString) { Password = "wrong", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.That(refused.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidPassword));
    }

    [Test]
    public async Task A_committed_row_survives_a_kill_and_a_start_again_on_the_same_port()
    {
        await using (var source = Engine.CreateDataSource())
        {
            await ExecuteAsync(source, "CREATE TABLE survivor (id int PRIMARY KEY, note text NOT NULL)");
            await ExecuteAsync(source, "INSERT INTO survivor VALUES (1, 'committed before the kill')");
        }

        await Engine.KillAsync();

        Assert.That(Engine.IsRunning, Is.False);
        await using (var down = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Engine.ConnectionString) { Pooling = false, Timeout = 2 }.ConnectionString))
        {
            Assert.That(async () => await down.OpenConnectionAsync(), Throws.InstanceOf<NpgsqlException>(), "nothing answers while it is down");
        }

        await Engine.StartAgainAsync();
        await ReportStartAsync("start again after SIGKILL (crash recovery)");

        await using var again = Engine.CreateDataSource();
        await using var read = again.CreateCommand("SELECT note FROM survivor WHERE id = 1");
        Assert.That(await read.ExecuteScalarAsync(), Is.EqualTo("committed before the kill"));
    }

    [Test]
    public async Task A_stop_is_clean_and_the_start_again_keeps_the_database()
    {
        await Engine.StopAsync();

        Assert.That(Engine.IsRunning, Is.False);
        Assert.That(Engine.Log.Contains("database system is shut down"), Is.True, Engine.Failure("logged no clean shutdown"));

        await Engine.StartAgainAsync();
        await using var source = Engine.CreateDataSource();
        await using var command = source.CreateCommand("SELECT current_database()");
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(PostgresEngine.Database));
    }

    private static async Task<string?> ShowAsync(NpgsqlDataSource source, string setting)
    {
        await using var command = source.CreateCommand($"SHOW {setting}");
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
