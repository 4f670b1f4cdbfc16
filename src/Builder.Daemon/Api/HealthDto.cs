namespace Builder.Daemon.Api;

public sealed record HealthDto(string Status, string Database, AclHealthDto Acl);
