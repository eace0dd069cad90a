using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace SmtpMock.Protocol.Auth;

/// <summary>
/// The users a mock server knows. A configured user must give the right password (PLAIN, LOGIN), the password as
/// the bearer token (XOAUTH2) or the digest keyed by it (CRAM-MD5); anyone else is accepted only when
/// <see cref="AcceptsAny"/>, which is the default with no users (as Mailpit and smtp4dev), so an application's
/// real credentials just work. User names compare exactly (ordinal).
/// </summary>
internal sealed class CredentialStore
{
    private readonly FrozenDictionary<string, string> _passwords;

    /// <param name="users">User name to password.</param>
    /// <param name="acceptAny">Whether unknown users get in; by default true only when <paramref name="users"/> is empty.</param>
    public CredentialStore(IEnumerable<KeyValuePair<string, string>> users, bool? acceptAny = null)
    {
        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, password) in users)
        {
            if (!passwords.TryAdd(user, password))
            {
                throw new ArgumentException($"User '{user}' is given more than once.", nameof(users));
            }
        }

        _passwords = passwords.ToFrozenDictionary(StringComparer.Ordinal);
        AcceptsAny = acceptAny ?? _passwords.Count == 0;
    }

    /// <summary>A store that takes any well-formed credentials: the default when nothing is configured.</summary>
    public static CredentialStore AcceptingAny { get; } = new([]);

    public bool AcceptsAny { get; }

    public IReadOnlyCollection<string> Users => _passwords.Keys;

    /// <summary>Checks a credential and then clears its secret, whatever the verdict.</summary>
    public bool Check(AuthCredential credential)
    {
        try
        {
            if (credential.IsCleared)
            {
                throw new InvalidOperationException("This credential was already checked and cleared.");
            }

            if (!_passwords.TryGetValue(credential.User, out var password))
            {
                return AcceptsAny;
            }

            if (credential.AuthorizationId is { } authzid && authzid != credential.User)
            {
                return false;
            }

            return credential.Mechanism == SaslMechanism.CramMd5
                ? CryptographicOperations.FixedTimeEquals(CramMd5Digest(password, credential.Challenge!), credential.Secret)
                : CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), credential.Secret);
        }
        finally
        {
            credential.Clear();
        }
    }

    /// <summary>RFC 2195 §2: lowercase hex of HMAC-MD5(key = password, text = challenge), as ASCII bytes.</summary>
    internal static byte[] CramMd5Digest(string password, string challenge)
    {
#pragma warning disable CA5351 // CRAM-MD5 is defined on MD5; the mock must speak it to test clients that use it.
        var mac = HMACMD5.HashData(Encoding.UTF8.GetBytes(password), Encoding.ASCII.GetBytes(challenge));
#pragma warning restore CA5351
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac));
    }
}
