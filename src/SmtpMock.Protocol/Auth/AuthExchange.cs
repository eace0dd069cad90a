using System.Security.Cryptography;
using System.Text;
using SmtpMock.Protocol.Replies;

namespace SmtpMock.Protocol.Auth;

/// <summary>
/// One AUTH dialog (RFC 4954) as a small state machine with no I/O: <see cref="Start"/> gives the first
/// <see cref="AuthStep"/>, <see cref="Next"/> takes each continuation line, <see cref="Complete"/> takes the
/// credential check's verdict. A session loops while the step is a <see cref="AuthStep.Challenge"/>.
/// </summary>
internal sealed class AuthExchange
{
    /// <summary>RFC 7628 §3.2.2 style error sent as a 334 before the final 535 of a failed XOAUTH2.</summary>
    internal const string XOAuth2Error = """{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}""";

    private static readonly string UsernamePrompt = Convert.ToBase64String("Username:"u8);
    private static readonly string PasswordPrompt = Convert.ToBase64String("Password:"u8);

    private readonly AuthExchangeOptions _options;
    private Stage _stage;
    private string? _loginUser;
    private string? _challenge;

    private AuthExchange(SaslMechanism? mechanism, AuthExchangeOptions options)
    {
        Mechanism = mechanism;
        _options = options;
        Step = new AuthStep.Fail(SecurityReplies.UnknownMechanism);
    }

    private enum Stage
    {
        Response,
        LoginUser,
        LoginPassword,
        CramMd5Response,
        Verifying,
        XOAuth2ErrorAcknowledgement,
        Done,
    }

    /// <summary>The mechanism, or null when the client named one we do not know (the step is then 504).</summary>
    public SaslMechanism? Mechanism { get; }

    /// <summary>The step the exchange is at: the last value <see cref="Start"/>, <see cref="Next"/> or <see cref="Complete"/> gave.</summary>
    public AuthStep Step { get; private set; }

    /// <summary>True once the step is <see cref="AuthStep.Succeeded"/> or <see cref="AuthStep.Fail"/>.</summary>
    public bool IsOver => _stage == Stage.Done;

    /// <summary>Starts from an AUTH command's argument: <c>mechanism [initial-response]</c>.</summary>
    public static AuthExchange FromArgument(string argument, AuthExchangeOptions? options = null)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            return new AuthExchange(null, options ?? AuthExchangeOptions.Default) { _stage = Stage.Done, Step = new AuthStep.Fail(SecurityReplies.AuthSyntax) };
        }

        return Start(parts[0], parts.Length == 2 ? parts[1] : null, options);
    }

    /// <param name="mechanism">The mechanism name as the client wrote it (case-insensitive).</param>
    /// <param name="initialResponse">RFC 4954 §4 initial response, base64; <c>=</c> is an empty one; null when absent.</param>
    /// <param name="options">Host name and clock for CRAM-MD5.</param>
    public static AuthExchange Start(string mechanism, string? initialResponse, AuthExchangeOptions? options = null)
    {
        options ??= AuthExchangeOptions.Default;
        if (!SaslMechanisms.TryParse(mechanism, out var known))
        {
            return new AuthExchange(null, options) { _stage = Stage.Done };
        }

        var exchange = new AuthExchange(known, options);
        exchange.Step = exchange.Begin(known, initialResponse);
        return exchange;
    }

    /// <summary>Takes the client's answer to a <see cref="AuthStep.Challenge"/> (the line without CRLF).</summary>
    public AuthStep Next(string line)
    {
        if (_stage is Stage.Verifying or Stage.Done)
        {
            throw new InvalidOperationException($"AUTH exchange is not waiting for a line (step {Step}).");
        }

        if (_stage == Stage.XOAuth2ErrorAcknowledgement)
        {
            return Finish(new AuthStep.Fail(SecurityReplies.InvalidCredentials));
        }

        if (line == "*")
        {
            return Finish(new AuthStep.Fail(SecurityReplies.AuthCancelled));
        }

        return Step = Respond(line);
    }

    /// <summary>Takes the verdict on the credential of a <see cref="AuthStep.Verify"/> step.</summary>
    public AuthStep Complete(bool accepted)
    {
        if (_stage != Stage.Verifying || Step is not AuthStep.Verify verify)
        {
            throw new InvalidOperationException($"AUTH exchange has nothing to verify (step {Step}).");
        }

        var user = verify.Credential.User;
        verify.Credential.Clear();
        if (accepted)
        {
            return Finish(new AuthStep.Succeeded(user, Mechanism!.Value));
        }

        if (Mechanism == SaslMechanism.XOAuth2)
        {
            _stage = Stage.XOAuth2ErrorAcknowledgement;
            return Step = new AuthStep.Challenge(Convert.ToBase64String(Encoding.UTF8.GetBytes(XOAuth2Error)));
        }

        return Finish(new AuthStep.Fail(SecurityReplies.InvalidCredentials));
    }

    private AuthStep Begin(SaslMechanism mechanism, string? initialResponse)
    {
        switch (mechanism)
        {
            case SaslMechanism.Login:
                _stage = Stage.LoginUser;
                return initialResponse is null ? Ask(UsernamePrompt) : Respond(initialResponse);
            case SaslMechanism.CramMd5 when initialResponse is not null:
                return Finish(new AuthStep.Fail(SecurityReplies.NoInitialResponseAllowed));
            case SaslMechanism.CramMd5:
                _stage = Stage.CramMd5Response;
                _challenge = _options.NewCramMd5Challenge();
                return Ask(Convert.ToBase64String(Encoding.ASCII.GetBytes(_challenge)));
            default:
                _stage = Stage.Response;
                return initialResponse is null ? Ask(string.Empty) : Respond(initialResponse);
        }
    }

    private AuthStep Respond(string base64)
    {
        byte[] message;
        if (base64 == "=")
        {
            message = [];
        }
        else if (!SaslResponses.TryDecodeBase64(base64, out message))
        {
            return Finish(new AuthStep.Fail(SecurityReplies.BadBase64));
        }

        if (_stage == Stage.LoginUser)
        {
            if (message.Length == 0 || !SaslResponses.TryUtf8(message, out var user))
            {
                return Finish(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse));
            }

            _loginUser = user;
            _stage = Stage.LoginPassword;
            return Ask(PasswordPrompt);
        }

        var credential = (_stage, Mechanism) switch
        {
            (Stage.LoginPassword, _) => new AuthCredential(SaslMechanism.Login, _loginUser!, null, message),
            (Stage.CramMd5Response, _) => SaslResponses.CramMd5(message, _challenge!),
            (_, SaslMechanism.Plain) => SaslResponses.Plain(message),
            _ => SaslResponses.XOAuth2(message),
        };

        if (_stage != Stage.LoginPassword)
        {
            // The credential holds its own copy of the secret (LOGIN's is this very array).
            CryptographicOperations.ZeroMemory(message);
        }

        if (credential is null)
        {
            return Finish(new AuthStep.Fail(SecurityReplies.MalformedAuthResponse));
        }

        _stage = Stage.Verifying;
        return new AuthStep.Verify(credential);
    }

    private static AuthStep.Challenge Ask(string text) => new(text);

    private AuthStep Finish(AuthStep step)
    {
        _stage = Stage.Done;
        return Step = step;
    }
}
