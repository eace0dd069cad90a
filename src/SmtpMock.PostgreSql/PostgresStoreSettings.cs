using System.Globalization;
using Npgsql;

namespace SmtpMock.PostgreSql;

/// <summary>
/// Where the PostgreSQL store is, from <c>--store postgresql://USER:PASSWORD@HOST:PORT/DB</c> (or <c>postgres://</c>).
/// The password may instead come from <c>SMTPMOCK_STORE_PASSWORD</c>, so it stays out of the process list. Nothing this
/// type prints (<see cref="Redacted"/>, <see cref="ToString"/>, error messages) contains the password.
/// </summary>
public sealed class PostgresStoreSettings
{
    /// <summary>The environment variable the password is read from when the URI has none.</summary>
    public const string PasswordVariable = "SMTPMOCK_STORE_PASSWORD";

    /// <summary>The port when the URI names none.</summary>
    public const int DefaultPort = 5432;

    private const string Shape = "postgresql://USER:PASSWORD@HOST:PORT/DB";

    private readonly string? _password;

    private PostgresStoreSettings(string host, int port, string database, string username, string? password, SslMode? sslMode)
    {
        Host = host;
        Port = port;
        Database = database;
        Username = username;
        _password = password;
        SslMode = sslMode;
    }

    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    public string Username { get; }

    /// <summary>The <c>?sslmode=</c> of the URI, or null for Npgsql's default.</summary>
    public SslMode? SslMode { get; }

    /// <summary>The URI without the password, for logs and errors: <c>postgresql://USER@HOST:PORT/DB</c>.</summary>
    public string Redacted => $"postgresql://{Uri.EscapeDataString(Username)}@{HostPart}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    /// <summary>Where the data lives, as <see cref="SmtpMock.Server.Capture.IMessageStore.Description"/> says it: no user, no password.</summary>
    public string Description => $"postgresql://{HostPart}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    private string HostPart => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    /// <summary>True when the string asks for this backend (<c>postgresql://</c> or <c>postgres://</c>): a path stays a folder.</summary>
    public static bool IsPostgresUri(string value) =>
        value is not null
        && (value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the URI; <paramref name="passwordFromEnvironment"/> (the value of <see cref="PasswordVariable"/>) is used
    /// when the URI has no password. A <see cref="FormatException"/> says exactly what is wrong, without the password.
    /// </summary>
    public static PostgresStoreSettings Parse(string uri, string? passwordFromEnvironment)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!IsPostgresUri(uri))
        {
            throw Bad("it does not start with postgresql:// or postgres://");
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.HostNameType == UriHostNameType.Unknown)
        {
            throw Bad("it is not a URI (a password with @ / : ? # or % must be percent-encoded, or given in " + PasswordVariable + ")");
        }

        var host = parsed.HostNameType == UriHostNameType.IPv6 ? parsed.Host.Trim('[', ']') : parsed.Host;
        if (host.Length == 0)
        {
            throw Bad("no host");
        }

        var (username, password) = UserInfo(parsed.UserInfo);
        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw Bad(database.Length == 0 ? "no database name after the host" : $"the database name '{database}' has a '/'");
        }

        var port = parsed.IsDefaultPort || parsed.Port < 0 ? DefaultPort : parsed.Port;
        if (port is < 1 or > 65535)
        {
            throw Bad($"the port {port.ToString(CultureInfo.InvariantCulture)} is out of range");
        }

        if (parsed.Fragment.Length > 0)
        {
            throw Bad("a '#' in the URI (percent-encode it in a password)");
        }

        return new PostgresStoreSettings(host, port, database, username, password ?? NullIfEmpty(passwordFromEnvironment), SslModeOf(parsed.Query));
    }

    /// <summary>The URI without the password.</summary>
    public override string ToString() => Redacted;

    /// <summary>The Npgsql connection string, password included: handed to the data source builder only.</summary>
    internal string ConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = Username,
            Password = _password,
            ApplicationName = "smtpmock",
        };
        if (SslMode is { } mode)
        {
            builder.SslMode = mode;
        }

        return builder.ConnectionString;
    }

    private static (string User, string? Password) UserInfo(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            throw Bad("no user name (" + Shape + ")");
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        if (user.Length == 0)
        {
            throw Bad("no user name before the ':' (" + Shape + ")");
        }

        return (user, colon < 0 ? null : NullIfEmpty(Uri.UnescapeDataString(userInfo[(colon + 1)..])));
    }

    private static SslMode? SslModeOf(string query)
    {
        if (query.Length <= 1)
        {
            return null;
        }

        SslMode? mode = null;
        foreach (var pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (!parts[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase) || parts.Length != 2)
            {
                throw Bad($"the parameter '{parts[0]}' is not known here (only sslmode=disable|prefer|require|verify-ca|verify-full)");
            }

            mode = parts[1].ToLowerInvariant() switch
            {
                "disable" => Npgsql.SslMode.Disable,
                "allow" => Npgsql.SslMode.Allow,
                "prefer" => Npgsql.SslMode.Prefer,
                "require" => Npgsql.SslMode.Require,
                "verify-ca" => Npgsql.SslMode.VerifyCA,
                "verify-full" => Npgsql.SslMode.VerifyFull,
                _ => throw Bad($"sslmode '{parts[1]}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
            };
        }

        return mode;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static FormatException Bad(string why) => new($"--store: not a PostgreSQL URI ({Shape}): {why}");
}
