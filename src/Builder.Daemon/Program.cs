using Builder.Daemon.Hosting;

return await DaemonCommandLine.Create().Parse(args).InvokeAsync();
