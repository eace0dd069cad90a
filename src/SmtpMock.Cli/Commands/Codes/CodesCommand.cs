using System.CommandLine;

namespace SmtpMock.Cli.Commands.Codes;

/// <summary>The <c>codes</c> command: a reference of SMTP reply codes and the scenarios that produce them.</summary>
internal static class CodesCommand
{
    public static readonly Argument<string?> Code = new("code") { Description = "One reply code to explain in full (e.g. 503); without it, a list of all", Arity = ArgumentArity.ZeroOrOne };
    public static readonly Option<bool> Json = new("--json") { Description = "Write JSON (one object for a code, an array for the list)" };

    public static Command Create()
    {
        var command = new Command("codes", "Explain SMTP reply codes: meaning, when servers send them, how clients react, and a scenario that makes SmtpMock send them");
        command.Arguments.Add(Code);
        command.Options.Add(Json);
        command.SetAction(CodesAction.RunAsync);
        return command;
    }
}
