using System.Net;
using SmtpMock.Control.Hosting;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Control.Tests;

/// <summary>
/// The HTTP side watches no files: ASP.NET Core's default builder watched the working directory (subdirectories
/// included) for appsettings.json, so every file written below the folder smtpmock ran in cost the server CPU.
/// </summary>
[NonParallelizable]
public class FileWatchTests
{
    [Test]
    public async Task Starting_the_http_side_opens_no_file_watcher()
    {
        Assume.That(OperatingSystem.IsLinux(), "counts inotify instances in /proc/self/fd");
        var before = InotifyInstances();
        await using var server = new SmtpMockServer(new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        await server.StartAsync();
        await using var control = await ControlServer.StartAsync(server, new ControlOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });

        Assert.That(InotifyInstances(), Is.EqualTo(before));
    }

    private static int InotifyInstances() => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
        .Count(fd => fd.LinkTarget is { } target && target.Contains("inotify", StringComparison.Ordinal));
}
