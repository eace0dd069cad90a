using SmtpMock.Cli;

return await SmtpMockCli.RunAsync(args, Console.Out, Console.Error);
