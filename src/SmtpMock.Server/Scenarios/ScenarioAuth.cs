using SmtpMock.Protocol.Auth;
using SmtpMock.Server.Session;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>
/// The <c>auth:</c> section: who may log in while this scenario is active (<c>users</c>, <c>accept-any</c>) and
/// whether MAIL needs a login first (<c>required</c>). What it leaves out keeps the server's own setting.
/// </summary>
public sealed record ScenarioAuth(IReadOnlyDictionary<string, string> Users, bool? AcceptAny, bool? Required)
{
    private static readonly string[] Keys = ["users", "accept-any", "required"];
    private static readonly string[] UserKeys = ["user", "password"];

    /// <summary>The session options with this section's users and requirement in place of the server's.</summary>
    internal SessionOptions ApplyTo(SessionOptions options) => options with
    {
        Credentials = Users.Count > 0 || AcceptAny is not null ? new CredentialStore(Users, AcceptAny) : options.Credentials,
        AuthRequired = Required ?? options.AuthRequired,
    };

    internal static ScenarioAuth? Read(YamlReading reading, YamlNode node)
    {
        var keys = reading.Mapping(node, "auth", Keys);
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys.TryGetValue("users", out var list))
        {
            if (list is not YamlSequenceNode sequence)
            {
                reading.Fail(list, "auth.users must be a list of { user, password }");
            }
            else
            {
                foreach (var item in sequence.Children)
                {
                    var entry = reading.Mapping(item, "auth.users entry", UserKeys);
                    var user = entry.TryGetValue("user", out var u) ? reading.String(u, "user") : null;
                    var password = entry.TryGetValue("password", out var p) ? reading.String(p, "password") : null;
                    if (user is null || password is null || user.Length == 0)
                    {
                        reading.Fail(item, "each auth.users entry needs a non-empty user and a password");
                    }
                    else if (!users.TryAdd(user, password))
                    {
                        reading.Fail(item, $"user '{user}' is listed twice");
                    }
                }
            }
        }

        return new ScenarioAuth(users, ReadBool(reading, keys, "accept-any"), ReadBool(reading, keys, "required"));
    }

    private static bool? ReadBool(YamlReading reading, Dictionary<string, YamlNode> keys, string key)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            return null;
        }

        var text = reading.String(node, $"auth.{key}");
        if (text is "true" or "false")
        {
            return text == "true";
        }

        if (text is not null)
        {
            reading.Fail(node, $"auth.{key} must be true or false, not '{text}'");
        }

        return null;
    }
}
