using System.Diagnostics;
using System.Globalization;
using SmtpMock.Engines.Tests.Harness;

namespace SmtpMock.Engines.Tests.Postgres;

/// <summary>
/// Where the PostgreSQL server programs are and whom they run as. Debian puts them in
/// /usr/lib/postgresql/MAJOR/bin (off PATH); the newest major there is taken, else initdb from PATH. PostgreSQL
/// refuses to run as root, so under root (CI, the development machines) every program runs as the
/// <c>postgres</c> user that Debian's package creates, through util-linux's setpriv (which execs, so the pid we
/// hold is the server's).
/// </summary>
internal static class PostgresInstall
{
    public const string SystemUser = "postgres";

    private const string DebianRoot = "/usr/lib/postgresql";

    private static readonly Lazy<string> Bin = new(FindBinDirectory);

    public static string BinDirectory => Bin.Value;

    /// <summary>The command line for <paramref name="program"/>, as the postgres user under root.</summary>
    public static ProcessStartInfo Command(string program, string workingDirectory, IEnumerable<string> arguments)
    {
        List<string> line = [];
        if (Posix.IsRoot)
        {
            line.AddRange(["setpriv", $"--reuid={SystemUser}", $"--regid={SystemUser}", "--init-groups", "--"]);
        }

        line.Add(Path.Combine(BinDirectory, program));
        line.AddRange(arguments);
        var start = new ProcessStartInfo(line[0]) { WorkingDirectory = workingDirectory };
        line.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        return start;
    }

    /// <summary>Under root, makes <paramref name="folder"/> and all in it the postgres user's (initdb and the server write there).</summary>
    public static Task HandOverAsync(string folder)
    {
        if (!Posix.IsRoot)
        {
            return Task.CompletedTask;
        }

        var chown = new ProcessStartInfo("chown");
        foreach (var argument in new[] { "-R", $"{SystemUser}:{SystemUser}", folder })
        {
            chown.ArgumentList.Add(argument);
        }

        return Harness.Command.RunAsync(chown, Engine.StopDeadline);
    }

    private static string FindBinDirectory()
    {
        var debian = Directory.Exists(DebianRoot)
            ? Directory.EnumerateDirectories(DebianRoot)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Major: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1))
                .Where(d => d.Major >= 0 && File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Major)
                .Select(d => d.Dir)
                .FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres")));
        return debian ?? onPath ?? throw new AssertionException(
            $"PostgreSQL's server programs (initdb, postgres) are neither in {DebianRoot}/*/bin nor on PATH: apt-get install postgresql");
    }
}
