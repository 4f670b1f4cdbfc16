using Builder.Cli;

return await BuilderCommandLine.RunAsync(args);
