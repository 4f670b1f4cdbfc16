using Builder.Daemon.Hosting;

return await DaemonCommandLine.Create().Parse(args).InvokeAsync();

/// <summary>
/// The entry point's class, internal as every type of this executable: ASP.NET Core would otherwise generate it public
/// (for in-memory test hosts, which this daemon's tests do not use: they start it through BuilderDaemon).
/// </summary>
internal partial class Program;
