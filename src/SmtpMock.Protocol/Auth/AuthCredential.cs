using System.Security.Cryptography;

namespace SmtpMock.Protocol.Auth;

/// <summary>
/// What a client proved (or claimed) in an AUTH exchange, held only until it is checked: the secret is a byte
/// array that <see cref="Clear"/> zeroes (<see cref="CredentialStore.Check"/> always does), and
/// <see cref="ToString"/> never shows it, so a credential can be logged or put in a transcript safely.
/// </summary>
internal sealed class AuthCredential
{
    private readonly byte[] _secret;

    internal AuthCredential(SaslMechanism mechanism, string user, string? authorizationId, byte[] secret, string? challenge = null)
    {
        Mechanism = mechanism;
        User = user;
        AuthorizationId = string.IsNullOrEmpty(authorizationId) ? null : authorizationId;
        _secret = secret;
        Challenge = challenge;
    }

    public SaslMechanism Mechanism { get; }

    /// <summary>The authentication identity (PLAIN's authcid, LOGIN's user name, CRAM-MD5's and XOAUTH2's user).</summary>
    public string User { get; }

    /// <summary>PLAIN's authorization identity (RFC 4616 authzid) when the client gave a non-empty one.</summary>
    public string? AuthorizationId { get; }

    /// <summary>CRAM-MD5's challenge, which the digest was computed over.</summary>
    public string? Challenge { get; }

    public bool IsCleared { get; private set; }

    /// <summary>The password, bearer token or CRAM-MD5 hex digest, UTF-8; empty once cleared.</summary>
    internal ReadOnlySpan<byte> Secret => IsCleared ? [] : _secret;

    /// <summary>Zeroes the secret; the user and mechanism stay for transcripts and captures.</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_secret);
        IsCleared = true;
    }

    public override string ToString() => $"{Mechanism.Name()} user={User} secret=****";
}
