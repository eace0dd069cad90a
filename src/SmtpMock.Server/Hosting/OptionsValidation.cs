namespace SmtpMock.Server.Hosting;

/// <summary>
/// The checks behind <see cref="SmtpServerOptions.Validate"/>: every option out of range or at odds with another
/// gets one message, so the server refuses to start with all of them listed instead of failing on the first.
/// </summary>
internal static class OptionsValidation
{
    /// <summary>
    /// What is wrong with a server name (the options' or a scenario's), or null: it must be one word, and at most 255
    /// octets, because it goes into the greeting and the EHLO and HELO lines, which may not pass 512 (RFC 5321 §4.5.3.1.2).
    /// </summary>
    public static string? HostnameProblem(string? hostname) =>
        string.IsNullOrWhiteSpace(hostname) || hostname.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "must be one word"
        : System.Text.Encoding.UTF8.GetByteCount(hostname) > Protocol.Grammar.PathParser.MaxDomain ? $"is longer than {Protocol.Grammar.PathParser.MaxDomain} octets (RFC 5321 §4.5.3.1.2)"
        : null;

    public static IReadOnlyList<string> Problems(SmtpServerOptions options)
    {
        var problems = new List<string>();
        if (options.Webhooks is not null)
        {
            problems.AddRange(options.Webhooks.Validate());
        }

        if (HostnameProblem(options.Hostname) is { } hostname)
        {
            problems.Add($"hostname '{(options.Hostname.Length <= 40 ? options.Hostname : options.Hostname[..40] + "...")}' {hostname}");
        }

        if (options.MaxMessageSize < 1)
        {
            problems.Add("max message size must be at least 1 octet");
        }

        if (options.MaxRecipients < 1)
        {
            problems.Add("max recipients must be at least 1");
        }

        if (options.MaxCommandLineLength < 512)
        {
            problems.Add("max command line length must be at least 512 (RFC 5321 §4.5.3.1.4)");
        }

        if (options.MaxDataLineLength < 1000)
        {
            problems.Add("max data line length must be at least 1000 (RFC 5321 §4.5.3.1.6)");
        }

        var max = SmtpServerOptions.MaxTimeout;
        if (options.CommandTimeout <= TimeSpan.Zero || options.DataTimeout <= TimeSpan.Zero || options.DataDeadline <= TimeSpan.Zero
            || options.CommandTimeout > max || options.DataTimeout > max || options.DataDeadline > max)
        {
            problems.Add("timeouts must be positive and at most 49 days");
        }

        if (options.MaxConnections < 1 || options.MaxConnectionsPerAddress < 1 || options.MaxBadCommands < 1 || options.MaxStoredMessages < 1
            || options.MaxStoredBytes < 1 || options.MaxTranscripts < 0 || options.MaxTranscriptLines < 10
            || options.MaxTranscriptLinesKept < options.MaxTranscriptLines)
        {
            problems.Add("connection, error, store and transcript limits must be positive");
        }

        AddSecurityProblems(options, problems);
        options.ProxyProtocol?.Validate(problems);
        return problems;
    }

    /// <summary>The STARTTLS, implicit TLS and AUTH settings (issue 11).</summary>
    private static void AddSecurityProblems(SmtpServerOptions options, List<string> problems)
    {
        if (options.RequireTls && !options.EnableTls)
        {
            problems.Add("require TLS needs TLS enabled");
        }

        if (options.ImplicitTlsPort is < 0 or > 65535)
        {
            problems.Add($"TLS port {options.ImplicitTlsPort} must be 0 to 65535");
        }

        if (options.ImplicitTlsPort is not null && !options.EnableTls)
        {
            problems.Add("a TLS port needs TLS enabled");
        }

        if (options.TlsCertificate is { HasPrivateKey: false })
        {
            problems.Add("the TLS certificate has no private key");
        }

        if (options.MaxAuthFailures < 1)
        {
            problems.Add("max auth failures must be at least 1");
        }

        if (options.AuthRequired && !options.EnableAuth)
        {
            problems.Add("auth required needs AUTH enabled");
        }
    }
}
