using SharpFuzz;
using SmtpMock.Fuzz;

// smtpmock-fuzz session|scenario            run under afl-fuzz (SharpFuzz's fork server)
// smtpmock-fuzz replay session|scenario F.. run inputs once, outside the fuzzer (regressions, corpus checks)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: SmtpMock.Fuzz session|scenario | replay session|scenario FILE...");
    return 2;
}

var replay = args[0] == "replay";
var target = replay ? args.ElementAtOrDefault(1) : args[0];
Action<byte[]>? run = target switch
{
    "session" => SessionTarget.Run,
    "scenario" => ScenarioTarget.Run,
    _ => null,
};
if (run is null)
{
    Console.Error.WriteLine($"unknown target '{target}' (session or scenario)");
    return 2;
}

if (!replay)
{
    Fuzzer.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        run(memory.ToArray());
    });
    return 0;
}

var failures = 0;
foreach (var file in args.Skip(2))
{
    try
    {
        run(File.ReadAllBytes(file));
    }
    catch (Exception e)
    {
        failures++;
        Console.Error.WriteLine($"{file}: {e}");
    }
}

Console.WriteLine($"{args.Length - 2 - failures} passed, {failures} failed");
return failures == 0 ? 0 : 1;
