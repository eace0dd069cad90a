using System.Globalization;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace SmtpMock.Redis;

/// <summary>
/// Where the shared state lives, from <c>redis://[USER[:PASSWORD]@]HOST[:PORT][/DB][?namespace=NAME]</c>
/// (<c>rediss://</c> for TLS). The password may come from <see cref="PasswordVariable"/> instead, so it stays out of the
/// process list. Every key and channel starts with the namespace (default <see cref="DefaultNamespace"/>), so two
/// deployments on one Redis never mix: pub/sub ignores the database number, the namespace does not.
/// </summary>
public sealed partial record RedisSettings
{
    /// <summary>The environment variable a password is read from when the URI carries none.</summary>
    public const string PasswordVariable = "SMTPMOCK_STATE_PASSWORD";

    public const string DefaultNamespace = "smtpmock";

    public const int DefaultPort = 6379;

    private const string Expected = "expected redis://HOST:PORT[/DB][?namespace=NAME]";

    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    /// <summary>The database number (<c>/DB</c>; 0 when absent).</summary>
    public int Database { get; init; }

    /// <summary>TLS to Redis (<c>rediss://</c>).</summary>
    public bool Tls { get; init; }

    /// <summary>An ACL user name, or null for the default user.</summary>
    public string? User { get; init; }

    /// <summary>Never shown: not in <see cref="Description"/>, not in <see cref="ToString"/>, not in any error.</summary>
    public string? Password { get; init; }

    /// <summary>What every key and channel of this deployment starts with (then a colon).</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>
    /// How long a command, a connect or a reconnect may take before it fails: short, so a Redis that is down costs a
    /// session one prompt 451, not a wait of seconds per command.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the state lives, for the console, the API and a 451's text: the URI without user or password.</summary>
    public string Description
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var text = string.Create(CultureInfo.InvariantCulture, $"{(Tls ? "rediss" : "redis")}://{host}:{Port}");
            text += Database == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"/{Database}");
            return Namespace == DefaultNamespace ? text : $"{text}?namespace={Namespace}";
        }
    }

    /// <summary>Reads the URI, with the password from <see cref="PasswordVariable"/> when the URI has none.</summary>
    /// <exception cref="FormatException">The text is not such a URI; the message says what is wrong and never holds the password.</exception>
    public static RedisSettings Parse(string text) => Parse(text, Environment.GetEnvironmentVariable(PasswordVariable));

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="text">The URI.</param>
    /// <param name="environmentPassword">The password to use when the URI carries none.</param>
    public static RedisSettings Parse(string text, string? environmentPassword)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.HostNameType == UriHostNameType.Unknown || uri.Host.Length == 0)
        {
            throw new FormatException(text.Contains("://", StringComparison.Ordinal) && !text.StartsWith("redis", StringComparison.OrdinalIgnoreCase)
                ? $"'{text.Split("://")[0]}://' is not a Redis address: {Expected}"
                : $"not a Redis address (a port past 65535, an empty host or another character may be the cause): {Expected}");
        }

        var (user, password) = UserInfo(uri.UserInfo);
        return new RedisSettings
        {
            Host = uri.DnsSafeHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Database = DatabaseOf(uri.AbsolutePath),
            Tls = uri.Scheme == "rediss",
            User = user,
            Password = password ?? (string.IsNullOrEmpty(environmentPassword) ? null : environmentPassword),
            Namespace = NamespaceOf(uri),
        };
    }

    /// <summary>The address without credentials (a record's own would print the password).</summary>
    public override string ToString() => Description;

    /// <summary>The client's options: fail fast while down (no 5 s backlog), reconnect by itself in the background.</summary>
    internal ConfigurationOptions ToOptions(string instanceId)
    {
        var milliseconds = (int)Math.Clamp(Timeout.TotalMilliseconds, 1, int.MaxValue);
        var options = new ConfigurationOptions
        {
            DefaultDatabase = Database,
            Ssl = Tls,
            User = User,
            Password = Password,
            ClientName = $"smtpmock-{instanceId}",
            AbortOnConnectFail = false,
            ConnectTimeout = milliseconds,
            SyncTimeout = milliseconds,
            AsyncTimeout = milliseconds,
            ConnectRetry = 1,
            // The default backlog holds commands for up to 5 s while disconnected: a session would wait that long per command.
            BacklogPolicy = BacklogPolicy.FailFast,
            // Reconnects are tried on the heartbeat: a Redis that is back is used again within about half a second.
            HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(500, milliseconds)),
            ReconnectRetryPolicy = new LinearRetry(Math.Min(500, milliseconds)),
            KeepAlive = 5,
        };
        options.EndPoints.Add(Host, Port);
        return options;
    }

    private static (string? User, string? Password) UserInfo(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return (null, null);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        var password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        return (user.Length == 0 ? null : user, string.IsNullOrEmpty(password) ? null : password);
    }

    private static int DatabaseOf(string path)
    {
        var text = path.Trim('/');
        if (text.Length == 0)
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var database)
            ? database
            : throw new FormatException($"the database '/{text}' is not a number: {Expected}");
    }

    private static string NamespaceOf(Uri uri)
    {
        if (uri.Fragment.Length > 0)
        {
            throw new FormatException($"a Redis address has no '#' part: {Expected}");
        }

        var name = DefaultNamespace;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (key != "namespace")
            {
                throw new FormatException($"unknown parameter '{key}': the only one is namespace ({Expected})");
            }

            name = NamespaceFormat().IsMatch(value)
                ? value
                : throw new FormatException($"namespace '{value}' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }

        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamespaceFormat();
}
