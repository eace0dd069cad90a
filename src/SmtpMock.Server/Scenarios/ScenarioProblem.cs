namespace SmtpMock.Server.Scenarios;

/// <summary>One thing wrong in a scenario file, where an editor can jump to it.</summary>
public sealed record ScenarioProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>A scenario file that cannot be used, with every problem found in it.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public ScenarioException()
        : this([])
    {
    }

    public ScenarioException(string message)
        : this([new ScenarioProblem("(scenario)", 0, 0, message)])
    {
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ScenarioProblem("(scenario)", 0, 0, message)];
    }

    public IReadOnlyList<ScenarioProblem> Problems { get; }
}
