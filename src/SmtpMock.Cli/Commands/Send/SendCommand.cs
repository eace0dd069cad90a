using System.CommandLine;

namespace SmtpMock.Cli.Commands.Send;

/// <summary>The <c>send</c> command: a small SMTP client for checking a server by hand or from a script.</summary>
internal static class SendCommand
{
    public static readonly Option<string> Host = new("--host") { Description = "Server to send to", HelpName = "HOST", DefaultValueFactory = _ => "127.0.0.1" };
    public static readonly Option<int> Port = OptionParsers.Port("--port", "Its SMTP port", 2525, 1, "-p");
    public static readonly Option<string> From = new("--from") { Description = "Envelope sender (MAIL FROM) and From header", HelpName = "ADDRESS", Required = true };
    public static readonly Option<string[]> To = new("--to") { Description = "Recipient (RCPT TO) and To header; repeat for more", HelpName = "ADDRESS", Required = true };
    public static readonly Option<string?> Subject = new("--subject") { Description = "Subject header [default: smtpmock send]", HelpName = "TEXT" };
    public static readonly Option<string?> Body = new("--body") { Description = "Plain-text body [default: a line saying who sent it]", HelpName = "TEXT" };
    public static readonly Option<FileInfo?> Eml = OptionParsers.FileOption("--eml", "Send this .eml file as it is (the envelope still comes from --from and --to)");
    public static readonly Option<FileInfo[]> Attach = new("--attach") { Description = "Attach a file; repeat for more", HelpName = "FILE", CustomParser = OptionParsers.FilePaths("--attach") };
    public static readonly Option<int> Timeout = OptionParsers.Number("--timeout", "SECONDS", "Seconds to wait for each reply", 30, 1, 3600);
    public static readonly Option<bool> StartTls = new("--starttls") { Description = "Upgrade to TLS with STARTTLS first; fail if the server does not offer it" };
    public static readonly Option<bool> Tls = new("--tls") { Description = "TLS from the first byte (implicit TLS, the server's --tls-port)" };
    public static readonly Option<FileInfo?> TrustCert = OptionParsers.FileOption("--trust-cert", "Trust exactly this certificate (PEM, e.g. from serve --tls-export-cert)");
    public static readonly Option<bool> Insecure = new("--insecure") { Description = "Accept any server certificate (a mock's generated one) without checking it" };
    public static readonly Option<string?> User = new("--user") { Description = "Log in (AUTH) as this user before sending", HelpName = "NAME" };
    public static readonly Option<string?> Password = new("--password") { Description = "The password for --user", HelpName = "PASSWORD" };

    public static Command Create()
    {
        var command = new Command("send", "Send one message and print every reply: exit 0 when accepted, 1 when refused, 2 for bad options");
        foreach (var option in new Option[] { Host, Port, From, To, Subject, Body, Eml, Attach, Timeout, StartTls, Tls, TrustCert, Insecure, User, Password })
        {
            command.Options.Add(option);
        }

        command.SetAction(SendAction.RunAsync);
        return command;
    }
}
