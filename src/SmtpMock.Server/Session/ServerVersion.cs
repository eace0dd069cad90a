namespace SmtpMock.Server.Session;

/// <summary>The version in the greeting and HELP: the assembly's.</summary>
internal static class ServerVersion
{
    public static string Text { get; } = typeof(ServerVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
