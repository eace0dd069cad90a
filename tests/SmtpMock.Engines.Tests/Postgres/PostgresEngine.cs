using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Postgres;

/// <summary>
/// A throw-away PostgreSQL: initdb into a temporary folder, the server on a free loopback port (TCP on 127.0.0.1
/// only, its Unix socket in the same folder), a user with a generated password (scram-sha-256 over TCP, as a
/// deployment would have it) and an empty database. fsync and synchronous_commit are on, as in production: the
/// tests measure and rely on real durability. Kill it for an outage, start it again on the same data and port for
/// "the engine comes back".
/// </summary>
internal sealed class PostgresEngine : Engine
{
    public const string User = "smtpmock";
    public const string Database = "smtpmock";

    private readonly string[] _settings;

    private PostgresEngine(int port, string[] settings)
        : base("postgres", port)
    {
        _settings = settings;
        Password = RandomNumberGenerator.GetHexString(32, lowercase: true);
    }

    /// <summary>The generated password of <see cref="User"/>: hex, so it needs no escaping in a URI.</summary>
    public string Password { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>The folder of the server's Unix socket (psql -h FOLDER for a look by hand).</summary>
    public string SocketDirectory => Path.Combine(Folder, "socket");

    /// <summary>How long initdb took (once, before the first start).</summary>
    public TimeSpan InitTime { get; private set; }

    /// <summary>What <c>smtpmock serve --store</c> takes.</summary>
    public string Uri => $"postgresql://{User}:{Password}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    /// <summary>The same place as an Npgsql connection string.</summary>
    public string ConnectionString => Connection(Database, pooling: true).ConnectionString;

    protected override string Package => "postgresql";

    protected override bool ForksChildren => true;

    /// <summary>SIGINT is PostgreSQL's fast shutdown: open transactions roll back, a checkpoint, exit.</summary>
    protected override int StopSignal => Posix.Sigint;

    /// <summary>
    /// initdb, start, create the database. Each of <paramref name="settings"/> ("max_connections=200") goes to the
    /// server as <c>-c</c>, after the harness's own, so a test may change those too.
    /// </summary>
    public static Task<PostgresEngine> StartAsync(params string[] settings)
    {
        var engine = new PostgresEngine(FreePort.Next(), settings);
        return StartNewAsync(engine, engine.InitAsync, engine.CreateDatabaseAsync);
    }

    /// <summary>A data source on the database; the caller disposes it (and with it its pool).</summary>
    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    protected override ProcessStartInfo CommandLine()
    {
        List<string> arguments =
        [
            "-D", DataDirectory,
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", SocketDirectory,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=on",
            "-c", "synchronous_commit=on",
        ];
        foreach (var setting in _settings)
        {
            arguments.AddRange(["-c", setting]);
        }

        return PostgresInstall.Command("postgres", Folder, arguments);
    }

    protected override string Describe() => $"user {User}, password {Password}, data {DataDirectory}";

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Connection("postgres", pooling: false).ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState == PostgresErrorCodes.CannotConnectNow)
        {
            // Not listening yet (refused), or listening and still starting or recovering (57P03). Anything else,
            // such as a refused password, fails the start at once.
            return false;
        }

        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
    }

    private async Task InitAsync()
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(SocketDirectory);
        var passwordFile = Path.Combine(Folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password).ConfigureAwait(false);
        await PostgresInstall.HandOverAsync(Folder).ConfigureAwait(false);
        string[] arguments =
        [
            "-D", DataDirectory,
            "-U", User,
            $"--pwfile={passwordFile}",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "-E", "UTF8",
            "--no-locale",
            // initdb's own fsync of the new cluster: only a machine crash could lose it, and a test run does not
            // outlive one. The server itself runs with fsync on.
            "--no-sync",
            "--no-instructions",
        ];
        Log.Append(await Harness.Command.RunAsync(PostgresInstall.Command("initdb", Folder, arguments), StartDeadline).ConfigureAwait(false));
        File.Delete(passwordFile);
        InitTime = clock.Elapsed;
    }

    private async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(Connection("postgres", pooling: false).ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private NpgsqlConnectionStringBuilder Connection(string database, bool pooling) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Pooling = pooling,
    };
}
