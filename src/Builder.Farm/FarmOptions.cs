namespace Builder.Farm;

/// <summary>The <c>Farm</c> configuration section: farm hosts, the compiler map and every limit of the gateway.</summary>
public sealed class FarmOptions
{
    public const string Section = "Farm";

    /// <summary>The pool <see cref="Hosts"/> forms when <see cref="Pools"/> is not set, and the pool a pocket without a FarmPool uses.</summary>
    public const string DefaultPool = "default";

    /// <summary>
    /// Farm distccd hosts as <c>host:port/slots</c>, e.g. <c>10.1.0.5:3632/8</c>: the single pool <c>default</c>.
    /// Leave empty when <see cref="Pools"/> is set.
    /// </summary>
    public IList<string> Hosts { get; } = [];

    /// <summary>
    /// Named farm pools, each a list of <c>host:port/slots</c>; a pocket's builds send their jobs only to the pool its
    /// <c>Pockets:&lt;p&gt;:FarmPool</c> names. A host belongs to one pool: pockets that share a pool share its hosts'
    /// fate (SECURITY.md). Unset: <see cref="Hosts"/> is the pool <see cref="DefaultPool"/>.
    /// </summary>
    public IDictionary<string, IList<string>> Pools { get; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Compiler names a client may send (as the distcc client rewrites them, e.g. <c>x86_64-linux-gnu-gcc-12</c>)
    /// mapped to the compiler name the farm runs. Names outside this map are refused. Empty = the built-in gcc 12 map.
    /// </summary>
    public IDictionary<string, string> Compilers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Compiler the health check runs on each farm host (a tiny real compile).</summary>
    public string HealthCheckCompiler { get; set; } = "x86_64-linux-gnu-gcc-12";

    /// <summary>Extra options allowed by exact form, on top of the built-in allow list (e.g. <c>-fno-lifetime-dse</c>).</summary>
    public IList<string> ExtraAllowedOptions { get; } = [];

    /// <summary>Most arguments (ARGC) in one compile job.</summary>
    public int MaxArgc { get; set; } = 512;

    /// <summary>Longest single argument (ARGV length) in bytes.</summary>
    public int MaxArgLength { get; set; } = 4096;

    /// <summary>Largest DOTI body on the wire (compressed size for protocol 2), in bytes.</summary>
    public int MaxSourceBytes { get; set; } = 64 << 20;

    /// <summary>Largest body after LZO decompression (protocol 2), in bytes; the bound against compression bombs.</summary>
    public int MaxDecompressedBytes { get; set; } = 256 << 20;

    /// <summary>Largest SERR, SOUT or DOTO body a farm host may answer with, in bytes (wire and decompressed).</summary>
    public int MaxResultBytes { get; set; } = 128 << 20;

    /// <summary>Most compile jobs of one build in flight at once; more connections wait for a free slot.</summary>
    public int PerBuildConcurrency { get; set; } = 8;

    /// <summary>
    /// Most connections one build may hold open at the gateway at once (reading, waiting for a slot, on the farm,
    /// answering); one beyond is closed at once. Each guest connection also costs a host connector process.
    /// </summary>
    public int MaxConnectionsPerBuild { get; set; } = 32;

    /// <summary>
    /// Most request-body bytes one build's connections may hold at once, wire and decompressed buffers added up, in
    /// bytes. A job whose body would go beyond is refused (status 1: the client compiles it locally), not held: it
    /// already holds a farm slot, and waiting would let one build's jobs block each other.
    /// </summary>
    public long MaxInFlightBytesPerBuild { get; set; } = 512L << 20;

    /// <summary>
    /// Most compile-job records of one build queued for the database. When full, the next job of that build waits until
    /// the writer has caught up (records are never dropped: the build-end digest covers every job).
    /// </summary>
    public int RecordQueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Most argv bytes (UTF-8, all arguments) stored in one compile-job record; the rest is cut off and replaced by one
    /// marker argument <c>…[argv truncated: N more bytes]</c>.
    /// </summary>
    public int MaxRecordedArgvBytes { get; set; } = 16 * 1024;

    /// <summary>Compile-job records of builds that finished longer ago than this are deleted by the Cleanup job.</summary>
    public TimeSpan KeepJobRecordsFor { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// How long a client has to send its request head (argv), and again its body once the job has a farm slot (the wait
    /// for the slot is not counted). The distcc client sends the argv first and the source only when its local
    /// preprocessor is done, which in a TCG-emulated VM can take long for a big C++ file.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Connecting to a farm host gives up after this long (then the job is retried on another host).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Longest one compile on a farm host may take, from the request sent to the last byte of the answer. A job that
    /// runs out of time is not retried (the job, not the host, is the likely problem); keep distccd's
    /// <c>--job-lifetime</c> at or below it.
    /// </summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many times a job is retried on another host after a connect failure or a close before the answer.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Interval of the active health checks (connect + a tiny real compile).</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One health check gives up after this long.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failures (health checks or jobs) that mark an up host down.</summary>
    public int FailuresToMarkDown { get; set; } = 2;

    /// <summary>Consecutive successful health checks that mark a down host up again.</summary>
    public int SuccessesToMarkUp { get; set; } = 2;

    /// <summary>
    /// Compile-job records are written to the sink in batches of at most this many rows: whatever finished while the
    /// previous batch was being written goes in the next one.
    /// </summary>
    public int RecordBatchSize { get; set; } = 200;

    /// <summary>
    /// How long finished jobs' records are collected before they are written together (a full batch is written at
    /// once, and closing the listener writes the rest at once, so a build's summary always covers every job).
    /// Zero writes each record as soon as the writer is free.
    /// </summary>
    public TimeSpan RecordFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The pools in effect: <see cref="Pools"/>, or <see cref="Hosts"/> as the pool <see cref="DefaultPool"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> EffectivePools() =>
        Pools.Count == 0
            ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [DefaultPool] = [.. Hosts] }
            : Pools.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value], StringComparer.Ordinal);
}
