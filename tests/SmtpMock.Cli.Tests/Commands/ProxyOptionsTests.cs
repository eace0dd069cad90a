using System.CommandLine;
using System.Net;
using SmtpMock.Cli.Commands.Serve;
using SmtpMock.Server.Hosting;

namespace SmtpMock.Cli.Tests.Commands;

/// <summary>--proxy-protocol and --proxy-protocol-from CIDR (repeatable), read into the server's PROXY protocol options.</summary>
public class ProxyOptionsTests
{
    private static (SmtpServerOptions Options, string? Error) Apply(params string[] args)
    {
        var command = new Command("serve-like");
        foreach (var option in ProxyOptions.All)
        {
            command.Options.Add(option);
        }

        var parse = command.Parse(args);
        Assert.That(parse.Errors, Is.Empty);
        var options = ProxyOptions.Apply(parse, new SmtpServerOptions(), out var error);
        return (options, error);
    }

    [Test]
    public void Off_by_default()
    {
        var (options, error) = Apply();

        Assert.That((options.ProxyProtocol, error), Is.EqualTo(((ProxyProtocolOptions?)null, (string?)null)));
        Assert.That(ProxyOptions.Summary(options), Is.Null);
    }

    [Test]
    public void On_alone_trusts_loopback_and_says_so_at_start()
    {
        var (options, error) = Apply("--proxy-protocol");

        Assert.That(error, Is.Null);
        Assert.That(options.ProxyProtocol!.From, Is.EqualTo(new[] { IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128") }));
        Assert.That(ProxyOptions.Summary(options), Is.EqualTo("PROXY protocol: required before the greeting, trusted from 127.0.0.0/8, ::1/128; other connections are closed and logged"));
    }

    [Test]
    public void Each_network_given_replaces_the_default_and_one_address_is_its_own_network()
    {
        var (options, error) = Apply("--proxy-protocol", "--proxy-protocol-from", "10.0.0.0/8", "--proxy-protocol-from", "fd00::/8", "--proxy-protocol-from", "192.0.2.7");

        Assert.That(error, Is.Null);
        Assert.That(options.ProxyProtocol!.From, Is.EqualTo(new[] { IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8"), IPNetwork.Parse("192.0.2.7/32") }));
        Assert.That(options.ProxyProtocol.HeaderTimeout, Is.EqualTo(new ProxyProtocolOptions().HeaderTimeout), "the rest are the library's defaults");
        Assert.That(options.Validate(), Is.Empty);
    }

    [TestCase("10.0.0.1/8")]
    [TestCase("10.0.0.0/33")]
    [TestCase("haproxy.internal")]
    [TestCase("")]
    public void A_bad_network_is_named(string network)
    {
        var (options, error) = Apply("--proxy-protocol", "--proxy-protocol-from", network);

        Assert.That(error, Is.EqualTo($"smtpmock: --proxy-protocol-from '{network}' is not a network: give CIDR with the host bits zero (10.0.0.0/8, fd00::/8) or one address (10.0.0.5)"));
        Assert.That(options.ProxyProtocol, Is.Null);
    }

    [Test]
    public void Networks_without_the_protocol_are_an_error()
    {
        Assert.That(Apply("--proxy-protocol-from", "10.0.0.0/8").Error, Is.EqualTo("smtpmock: --proxy-protocol-from names who may send a PROXY header: give --proxy-protocol too"));
    }

    [Test]
    public async Task Serve_refuses_a_bad_network_with_a_usage_error_before_listening()
    {
        var (exit, output, error) = await CommandRun.RunAsync("serve", "--port", "0", "--proxy-protocol", "--proxy-protocol-from", "10.0.0.1/8");

        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error.Trim(), Is.EqualTo("smtpmock: --proxy-protocol-from '10.0.0.1/8' is not a network: give CIDR with the host bits zero (10.0.0.0/8, fd00::/8) or one address (10.0.0.5)"));
        Assert.That(output, Does.Not.Contain("listening"));
    }
}
