using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmtpMock.Engines.Tests.Harness;

/// <summary>The harness itself, on a shell script standing in for an engine: failure messages, kills, cleanup.</summary>
[TestFixture]
internal sealed class EngineTests
{
    [Test]
    public async Task A_server_that_exits_while_starting_fails_with_its_exit_code_command_and_log()
    {
        await using var engine = new ShellEngine("echo 'FATAL: could not bind' >&2; exit 3");

        var failure = await Assert.ThrowsAsync<AssertionException>(() => engine.StartAsync());

        Assert.That(failure.Message, Does.Contain("did not start: exited with code 3")
            .And.Contain("command: sh -c")
            .And.Contain("stderr: FATAL: could not bind"));
    }

    [Test]
    public async Task A_kill_takes_the_children_too_and_dispose_removes_the_folder()
    {
        var engine = new ShellEngine("sleep 600 & touch ready; wait");
        await engine.StartAsync();
        var shell = engine.Pid;
        var children = Posix.DescendantsOf(shell);
        Assert.That(children, Has.Count.EqualTo(1), "the shell's background sleep");

        await engine.KillAsync();

        Assert.That(children.Prepend(shell).Where(Posix.IsAlive), Is.Empty);
        Assert.That(engine.IsRunning, Is.False);
        await engine.DisposeAsync();
        Assert.That(Directory.Exists(engine.Folder), Is.False);
    }

    [Test]
    public void Free_ports_are_distinct_and_bindable_on_loopback()
    {
        var ports = FreePort.Next(3);

        Assert.That(ports.Distinct().Count(), Is.EqualTo(3));
        foreach (var port in ports)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            Assert.That(listener.Start, Throws.Nothing, $"port {port} is free");
            listener.Stop();
        }
    }

    /// <summary>A shell script as an engine: ready once it has created the file "ready" in its folder.</summary>
    private sealed class ShellEngine(string script) : Engine("shell", FreePort.Next())
    {
        protected override string Package => "dash";

        protected override bool ForksChildren => true;

        public Task StartAsync() => RunAsync();

        protected override ProcessStartInfo CommandLine()
        {
            var start = new ProcessStartInfo("sh") { WorkingDirectory = Folder };
            foreach (var argument in new[] { "-c", script })
            {
                start.ArgumentList.Add(argument);
            }

            return start;
        }

        protected override Task<bool> IsReadyAsync(CancellationToken cancellationToken) =>
            Task.FromResult(File.Exists(Path.Combine(Folder, "ready")));
    }
}
