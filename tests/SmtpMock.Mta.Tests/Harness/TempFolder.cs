namespace SmtpMock.Mta.Tests.Harness;

/// <summary>
/// A temporary folder that Postfix's daemons (user postfix) may read: a new temporary folder is 0700, and the
/// smtp client reads main.cf, the password table and SmtpMock's exported certificate from such folders.
/// </summary>
internal static class TempFolder
{
    public const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>A short path under /tmp: Postfix's unix sockets live below its queue folder and a socket path is at most 107 bytes.</summary>
    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(path, Readable);
        return path;
    }

    public static string CreateBelow(string parent, string name) => Directory.CreateDirectory(Path.Combine(parent, name), Readable).FullName;

    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
