using Builder.Farm;
using Builder.Farm.GatewayHost;
using Builder.Farm.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Usage: Builder.Farm.GatewayHost --Farm:Hosts:0=127.0.0.1:3632/2 --Farm:Hosts:1=…
// Prints "port N" once listening; on EOF on stdin prints the job statistics and exits.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Services.AddSingleton<ICompileJobSink, CountingSink>();
builder.Services.AddBuilderFarm();
using var host = builder.Build();
await host.StartAsync();
await BenchGateway.RunAsync(host.Services, Console.In, Console.Out, CancellationToken.None);
await host.StopAsync();
