using System.CommandLine;
using SmtpMock.Cli.Commands.Codes;
using SmtpMock.Cli.Commands.Health;
using SmtpMock.Cli.Commands.Send;
using SmtpMock.Cli.Commands.Serve;
using SmtpMock.Cli.Commands.Validate;

namespace SmtpMock.Cli;

/// <summary>The root command and its one list of subcommands. With no arguments it serves on the defaults.</summary>
public static class SmtpMockCli
{
    /// <summary>Exit code for bad flags or bad option values.</summary>
    public const int UsageError = 2;

    public static RootCommand Create()
    {
        // With no command, smtpmock serves: the root takes serve's options too (smtpmock --port 2600).
        var root = ServeCommand.AddTo(new RootCommand("SmtpMock: a real SMTP server for tests. It captures every message and can misbehave on request."));
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(CodesCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        return root;
    }

    /// <summary>Runs the command line in this process, as a test does: nothing process-wide is changed.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, ownsProcess: false, cancellationToken);

    /// <summary>True in the smtpmock executable, where serve may set runtime switches (see InlineCompletions).</summary>
    internal static bool OwnsProcess { get; private set; }

    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool ownsProcess, CancellationToken cancellationToken = default)
    {
        OwnsProcess = ownsProcess;
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var help = parse.CommandResult.Command is RootCommand ? "'smtpmock --help' lists the commands and options"
                : $"'smtpmock {parse.CommandResult.Command.Name} --help' lists its options";
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"smtpmock: {WithAdvice(problem.Message, help)}").ConfigureAwait(false);
            }

            return UsageError;
        }

        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One line per error. System.CommandLine's own messages ("Unrecognized command or argument '--bogus'.") end
    /// with a period and do not say what to do, so they point at the --help of the command given (smtpmock send
    /// --help for send's options); the CLI's own (OptionParsers) already say what to do.
    /// </summary>
    private static string WithAdvice(string message, string help) =>
        message.EndsWith('.') ? $"{message[..^1]}; {help}" : message;
}
