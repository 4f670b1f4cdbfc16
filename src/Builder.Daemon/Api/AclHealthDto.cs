namespace Builder.Daemon.Api;

public sealed record AclHealthDto(string Hash, int ErrorCount, IReadOnlyList<string> Errors);
