namespace Builder.Daemon.Api;

internal sealed record AclHealthDto(string Hash, int ErrorCount, IReadOnlyList<string> Errors);
