using System.Globalization;
using System.Text;

namespace SmtpMock.Mta.Tests.Harness;

/// <summary>
/// The main.cf and master.cf of a throw-away Postfix that relays everything to SmtpMock and retries within seconds.
/// </summary>
internal static class PostfixConfig
{
    /// <summary>
    /// The client's own name: it must differ from SmtpMock's (<c>localhost</c>), or Postfix refuses the server as a
    /// mail loop ("greeted me with my own hostname").
    /// </summary>
    public const string HostName = "postfix.mta-test.example";

    /// <summary>main.cf: the defaults below, then <paramref name="settings"/> (a later name wins).</summary>
    public static string MainCf(string root, int relayPort, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["compatibility_level"] = "3.6",
            ["queue_directory"] = Path.Combine(root, "queue"),
            // Left for Postfix to create: it must belong to the postfix user.
            ["data_directory"] = Path.Combine(root, "data"),
            ["mail_owner"] = "postfix",
            ["setgid_group"] = "postdrop",
            ["myhostname"] = HostName,
            ["mydomain"] = "mta-test.example",
            ["myorigin"] = "$myhostname",
            // Nothing is delivered locally: every address, bounces to the sender included, goes to the relay host.
            ["mydestination"] = string.Empty,
            ["local_recipient_maps"] = string.Empty,
            ["alias_maps"] = string.Empty,
            ["alias_database"] = string.Empty,
            // master.cf below runs no smtpd, so nothing listens; mail comes in through sendmail -C.
            ["inet_interfaces"] = "127.0.0.1",
            ["inet_protocols"] = "ipv4",
            ["relayhost"] = string.Create(CultureInfo.InvariantCulture, $"[127.0.0.1]:{relayPort}"),
            ["smtp_dns_support_level"] = "disabled",
            // Retries within seconds. The backoff stays above the queue scan interval: at one second, a scan can find
            // a just-deferred message before the smtp process has let go of its file, and qmgr then sets it aside for
            // 60 seconds ("skipped, still being delivered").
            ["queue_run_delay"] = "1s",
            ["minimal_backoff_time"] = "2s",
            ["maximal_backoff_time"] = "2s",
            ["maillog_file"] = Path.Combine(root, "maillog"),
            ["maillog_file_prefixes"] = root,
            ["smtp_tls_security_level"] = "none",
            ["smtp_tls_loglevel"] = "1",
            ["biff"] = "no",
            ["append_dot_mydomain"] = "no",
        };
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in all)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name} = {value}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// master.cf: the delivery side only (no smtpd, no local delivery), nothing chrooted (the queue is in a temporary
    /// folder), and postlogd so <c>maillog_file</c> works without syslog.
    /// </summary>
    public const string MasterCf = """
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        tlsmgr    unix  -       -       n       1000?   1       tlsmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd

        """;
}
