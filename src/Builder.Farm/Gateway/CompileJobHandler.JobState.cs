namespace Builder.Farm.Gateway;

internal sealed partial class CompileJobHandler
{
    private sealed class JobState(DateTimeOffset startedAt, long timestamp)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        public long Timestamp { get; } = timestamp;

        public IReadOnlyList<string> Argv { get; set; } = [];

        public string? Compiler { get; set; }

        public string? InputSha256 { get; set; }

        public string? OutputSha256 { get; set; }

        public string? Host { get; set; }

        public int Attempts { get; set; }

        public uint? Status { get; set; }

        public TimeSpan? FarmTime { get; set; }

        public string? Outcome { get; set; }

        public string? Reason { get; set; }

        public bool Recorded { get; set; }
    }
}
