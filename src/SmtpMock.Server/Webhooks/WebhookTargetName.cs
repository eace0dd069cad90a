namespace SmtpMock.Server.Webhooks;

/// <summary>
/// A target as logs and metrics name it: scheme, host, port and path. The query and any user:password are left out,
/// since receivers often carry a token there.
/// </summary>
internal static class WebhookTargetName
{
    public static string Of(Uri target) =>
        target.IsAbsoluteUri ? target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(relative URL)";
}
