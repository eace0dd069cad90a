namespace SmtpMock.Protocol.Auth;

/// <summary>The SASL mechanisms the mock speaks (RFC 4954 AUTH).</summary>
internal enum SaslMechanism
{
    /// <summary>RFC 4616: <c>authzid NUL authcid NUL passwd</c> in one response.</summary>
    Plain,

    /// <summary>The de-facto LOGIN mechanism: user name and password in two base64 answers.</summary>
    Login,

    /// <summary>RFC 2195: HMAC-MD5 of a server challenge keyed by the password.</summary>
    CramMd5,

    /// <summary>Google/Microsoft XOAUTH2 (RFC 7628 style bearer token).</summary>
    XOAuth2,
}

internal static class SaslMechanisms
{
    /// <summary>Every mechanism, in the order EHLO advertises them.</summary>
    public static IReadOnlyList<SaslMechanism> All { get; } =
        [SaslMechanism.Plain, SaslMechanism.Login, SaslMechanism.CramMd5, SaslMechanism.XOAuth2];

    public static string Name(this SaslMechanism mechanism) => mechanism switch
    {
        SaslMechanism.Plain => "PLAIN",
        SaslMechanism.Login => "LOGIN",
        SaslMechanism.CramMd5 => "CRAM-MD5",
        SaslMechanism.XOAuth2 => "XOAUTH2",
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>
    /// True when the mechanism sends the secret itself (a password or a bearer token), so it should only be
    /// offered over TLS (RFC 4954 §4 and §14; the 538 5.7.11 reply). CRAM-MD5 sends only a digest.
    /// </summary>
    public static bool SendsSecretInClear(this SaslMechanism mechanism) => mechanism != SaslMechanism.CramMd5;

    /// <summary>Mechanism names are case-insensitive (RFC 4422 §3.1).</summary>
    public static bool TryParse(string name, out SaslMechanism mechanism)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                mechanism = candidate;
                return true;
            }
        }

        mechanism = default;
        return false;
    }

    /// <summary>The EHLO keyword line, e.g. <c>AUTH PLAIN LOGIN</c> (RFC 4954 §3).</summary>
    public static string EhloKeyword(IEnumerable<SaslMechanism> offered) =>
        string.Join(' ', offered.Select(m => m.Name()).Prepend("AUTH"));
}
