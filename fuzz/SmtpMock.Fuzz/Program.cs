using SharpFuzz;
using SmtpMock.Fuzz;

// smtpmock-fuzz TARGET              run under afl-fuzz (SharpFuzz's fork server, persistent)
// smtpmock-fuzz replay TARGET F...  run inputs once, outside the fuzzer (regressions, corpus checks)
// TARGET: session, scenario, mime or http (each documented on its class).
var targets = new Dictionary<string, Action<byte[]>>
{
    ["session"] = SessionTarget.Run,
    ["scenario"] = ScenarioTarget.Run,
    ["mime"] = MimeTarget.Run,
    ["http"] = HttpTarget.Run,
};
var names = string.Join("|", targets.Keys);
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: SmtpMock.Fuzz {names} | replay {names} FILE...");
    return 2;
}

var replay = args[0] == "replay";
var target = replay ? args.ElementAtOrDefault(1) : args[0];
if (target is null || !targets.TryGetValue(target, out var run))
{
    Console.Error.WriteLine($"unknown target '{target}' ({names})");
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
