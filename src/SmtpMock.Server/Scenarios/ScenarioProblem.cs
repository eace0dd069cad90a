namespace SmtpMock.Server.Scenarios;

/// <summary>
/// One thing wrong in a scenario file, where an editor can jump to it. Line and column are 0 when the problem has no
/// place in a file (a missing file, an unknown scenario name): it then prints without a position.
/// </summary>
public sealed record ScenarioProblem(string File, int Line, int Column, string Message)
{
    /// <summary>Whether the problem points at a place in the file.</summary>
    public bool HasPosition => Line > 0;

    public override string ToString() =>
        HasPosition ? $"{File}:{Line}:{Column}: {Message}"
        : File.Length > 0 ? $"{File}: {Message}"
        : Message;
}

/// <summary>A scenario file that cannot be used, with every problem found in it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1032:Implement standard exception constructors", Justification = "The problems are the contract: there is no problem-less or wrapped form.")]
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioProblem> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>A problem that belongs to no file, such as asking for a scenario that is not loaded.</summary>
    public ScenarioException(string message)
        : this([new ScenarioProblem(string.Empty, 0, 0, message)])
    {
    }

    public IReadOnlyList<ScenarioProblem> Problems { get; }
}
