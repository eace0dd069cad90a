namespace SmtpMock.Cli.Commands.Serve;

/// <summary>
/// The logins that must match, from the three places serve takes them: <c>--auth-user NAME:PASSWORD</c> (visible to
/// every local user in <c>ps</c>), <c>--auth-users-file FILE</c> and <c>SMTPMOCK_AUTH_USERS</c> (one NAME:PASSWORD a line,
/// as a Docker or Kubernetes secret gives them), which stay out of the process list.
/// </summary>
internal static class AuthUsers
{
    /// <summary>Every user once, or the one problem (without <c>smtpmock:</c>) that says where.</summary>
    public static (Dictionary<string, string> Users, string? Problem) Read(IEnumerable<string> flags, FileInfo? file, string? variable)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var given in flags)
        {
            if (Add(users, given, "--auth-user", "--auth-user") is { } problem)
            {
                return (users, problem);
            }
        }

        if (file is not null)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (users, $"--auth-users-file {file.FullName} cannot be read: {e.Message}");
            }

            if (Lines(users, lines, $"--auth-users-file {file.FullName}") is { } problem)
            {
                return (users, problem);
            }
        }

        if (!string.IsNullOrWhiteSpace(variable) && Lines(users, variable.Split('\n'), TlsOptions.UsersVariable) is { } fromVariable)
        {
            return (users, fromVariable);
        }

        return (users, null);
    }

    private static string? Lines(Dictionary<string, string> users, IEnumerable<string> lines, string source)
    {
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            // The password is never repeated in a message: only where it is and the user's name.
            if (Add(users, line, source, $"{source} line {number}") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Add(Dictionary<string, string> users, string entry, string source, string where)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return source == "--auth-user"
                ? $"--auth-user '{entry}' must be name:password (e.g. --auth-user app:secret)"
                : $"{where} must be name:password";
        }

        var name = entry[..colon];
        return users.TryAdd(name, entry[(colon + 1)..]) ? null
            : source == "--auth-user" ? $"--auth-user '{name}' is given twice"
            : $"{where}: user '{name}' is given twice";
    }
}
