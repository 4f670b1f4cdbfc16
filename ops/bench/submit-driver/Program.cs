// ops/bench/submit driver: pre-signs N submit requests with one ed25519 key, registers the key in the ACL tree,
// then sends them from C concurrent clients and prints accepted/s and latency percentiles.
//
//   SubmitBench <url> <acl-dir> <requests> <clients>
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Builder.Core.Requests;
using Builder.Tests.Common.Signing;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: SubmitBench <url> <acl-dir> <requests> <clients>");
    return 2;
}
var url = new Uri(args[0].TrimEnd('/') + "/");
var aclDir = args[1];
var n = int.Parse(args[2], CultureInfo.InvariantCulture);
var clients = int.Parse(args[3], CultureInfo.InvariantCulture);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = url };

// Register the key and wait until the daemon has reloaded the tree (the hash in /healthz changes).
var key = TestSigningKey.Generate();
var before = await AclHashAsync(http);
await File.WriteAllTextAsync(Path.Combine(aclDir, "keys", "bench.pub"), key.PublicKeyLine + "\n");
await File.WriteAllTextAsync(Path.Combine(aclDir, "acl", "bench"), "bench\n");
var wait = Stopwatch.StartNew();
while (await AclHashAsync(http) == before)
{
    if (wait.Elapsed > TimeSpan.FromSeconds(60))
    {
        Console.Error.WriteLine("the daemon did not reload the ACL tree within 60 s");
        return 1;
    }
    await Task.Delay(100);
}

var signWatch = Stopwatch.StartNew();
var issued = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
var bodies = new string[n];
for (var i = 0; i < n; i++)
{
    var text = RequestFormat.Serialize(new BuildRequest(RequestAction.Submit, "bench", "hello", null, null, "bench", RequestFormat.NewNonce(), issued));
    bodies[i] = JsonSerializer.Serialize(new { request = text, signature = key.Sign(Encoding.UTF8.GetBytes(text), "builder") });
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pre-signed {n} requests in {signWatch.Elapsed.TotalSeconds:0.00} s"));

// Warm-up: JIT, connection pools on both sides.
for (var i = 0; i < Math.Min(200, n / 10); i++)
{
    await PostAsync(http, bodies[i]);
}
var start = Math.Min(200, n / 10);
var latencies = new double[n - start];
var statuses = new int[n - start];
var next = start - 1;
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var total = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < n)
    {
        var t = Stopwatch.GetTimestamp();
        statuses[i - start] = await PostAsync(http, bodies[i]);
        latencies[i - start] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
    }
})));
total.Stop();
var driverCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

var accepted = statuses.Count(s => s == 201);
Array.Sort(latencies);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"submit: {accepted}/{latencies.Length} accepted in {total.Elapsed.TotalSeconds:0.00} s with {clients} clients: {accepted / total.Elapsed.TotalSeconds:0} accepted/s, p50 {P(0.50):0.00} ms, p99 {P(0.99):0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"driver CPU per request: {driverCpu.TotalMicroseconds / latencies.Length:0} us"));
foreach (var group in statuses.Where(s => s != 201).GroupBy(s => s))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  status {group.Key}: {group.Count()}"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT accepted_per_s={accepted / total.Elapsed.TotalSeconds:0.0} p50_ms={P(0.50):0.00} p99_ms={P(0.99):0.00} accepted={accepted} sent={latencies.Length}"));
return accepted == latencies.Length ? 0 : 1;

double P(double q) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];

static async Task<int> PostAsync(HttpClient http, string body)
{
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var response = await http.PostAsync("api/v1/requests", content);
    return (int)response.StatusCode;
}

static async Task<string?> AclHashAsync(HttpClient http)
{
    var health = await http.GetFromJsonAsync<JsonElement>("healthz");
    return health.GetProperty("acl").GetProperty("hash").GetString();
}
