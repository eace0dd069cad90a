using System.CommandLine;

namespace SmtpMock.Cli.Commands.Validate;

/// <summary>The <c>validate</c> command: checks scenario files without starting a server.</summary>
internal static class ValidateCommand
{
    public static readonly Argument<string[]> Files = new("files") { Description = "Scenario files or folders to check", HelpName = "FILE|DIR", Arity = ArgumentArity.OneOrMore };

    public static Command Create()
    {
        var command = new Command("validate", "Check scenario files: exit 0, or 2 with file:line:column: message for every problem");
        command.Arguments.Add(Files);
        command.SetAction(ValidateAction.RunAsync);
        return command;
    }
}
