using System.Globalization;
using System.Net;
using System.Text;

namespace SmtpMock.Engines.Tests.Haproxy;

/// <summary>
/// The haproxy.cfg for <see cref="HaproxyOptions"/>: the main TCP frontend "smtp" balancing every backend, one
/// frontend "smtp-sN" per backend reaching only that one (a test's way to choose), an optional HTTP frontend "api",
/// and the runtime API on a Unix socket (admin level) to drain, stop and read servers while it runs.
/// </summary>
internal static class HaproxyConfig
{
    public const string MainBackend = "smtp";
    public const string HttpBackend = "api";

    /// <summary>The config text. <paramref name="directPorts"/> has one port per backend; <paramref name="httpPort"/> is used when there are HTTP backends.</summary>
    public static string Render(HaproxyOptions options, int port, IReadOnlyList<int> directPorts, int httpPort, string adminSocket)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            global
                log stderr format raw local0 info
                stats socket {adminSocket} mode 600 level admin

            defaults
                log global
                mode tcp
                timeout connect 5s
                timeout client 5m
                timeout server 5m
                timeout check 2s

            """);
        Frontend(text, MainBackend, port);
        text.Append(CultureInfo.InvariantCulture, $"    balance {(options.Balance == HaproxyBalance.First ? "first" : "roundrobin")}\n");
        for (var i = 0; i < options.Backends.Count; i++)
        {
            Server(text, $"s{i}", options.Backends[i], options, proxyV2: options.SendProxyV2);
        }

        for (var i = 0; i < options.Backends.Count; i++)
        {
            Frontend(text, $"{MainBackend}-s{i}", directPorts[i]);
            Server(text, $"s{i}", options.Backends[i], options, proxyV2: options.SendProxyV2);
        }

        if (options.HttpBackends.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"""

                frontend {HttpBackend}
                    mode http
                    option httplog
                    option forwardfor
                    bind 127.0.0.1:{httpPort}
                    default_backend {HttpBackend}

                backend {HttpBackend}
                    mode http
                    balance roundrobin

                """);
            for (var i = 0; i < options.HttpBackends.Count; i++)
            {
                Server(text, $"a{i}", options.HttpBackends[i], options, proxyV2: false);
            }
        }

        return text.ToString();
    }

    private static void Frontend(StringBuilder text, string name, int port) => text.Append(CultureInfo.InvariantCulture, $"""

        frontend {name}
            option tcplog
            bind 127.0.0.1:{port}
            default_backend {name}

        backend {name}

        """);

    private static void Server(StringBuilder text, string name, IPEndPoint endPoint, HaproxyOptions options, bool proxyV2)
    {
        text.Append(CultureInfo.InvariantCulture, $"    server {name} {endPoint}");
        if (proxyV2)
        {
            text.Append(" send-proxy-v2");
        }

        if (options.ServerMaxConnections is { } maxConnections)
        {
            text.Append(CultureInfo.InvariantCulture, $" maxconn {maxConnections}");
        }

        if (options.HealthCheck == HaproxyHealthCheck.Tcp)
        {
            text.Append(CultureInfo.InvariantCulture, $" check inter {(int)options.CheckInterval.TotalMilliseconds} fall 1 rise 1");
            if (proxyV2)
            {
                text.Append(" check-send-proxy"); // a server that requires the header gets it from checks too
            }
        }

        text.Append('\n');
    }
}
