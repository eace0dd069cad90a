using SmtpMock.Protocol.Auth;
using YamlDotNet.RepresentationModel;

namespace SmtpMock.Server.Scenarios;

/// <summary>The TLS and AUTH conditions of <c>when:</c>: <c>tls</c>, <c>mechanism</c> and <c>user</c> (issue 11).</summary>
internal static partial class RuleLoader
{
    private static RuleConditions ReadAuthConditions(YamlReading reading, IReadOnlyDictionary<string, YamlNode> keys, RuleConditions conditions)
    {
        if (keys.TryGetValue("mechanism", out var mechanism) && reading.String(mechanism, "mechanism") is { } name)
        {
            if (SaslMechanisms.TryParse(name, out var parsed))
            {
                conditions = conditions with { Mechanism = parsed.Name() };
            }
            else
            {
                reading.Fail(mechanism, $"mechanism must be one of {string.Join(", ", SaslMechanisms.All.Select(m => m.Name()))}, not '{name}'");
            }
        }

        if (keys.TryGetValue("user", out var user) && reading.String(user, "user") is { } userGlob)
        {
            conditions = conditions with { User = Glob.ToRegex(userGlob) };
        }

        if (keys.TryGetValue("tls", out var tls) && reading.String(tls, "tls") is { } text)
        {
            if (text is "true" or "false")
            {
                conditions = conditions with { Tls = text == "true" };
            }
            else
            {
                reading.Fail(tls, $"tls must be true (only over TLS) or false (only in plaintext), not '{text}'");
            }
        }

        return conditions;
    }
}
