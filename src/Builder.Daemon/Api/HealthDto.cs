namespace Builder.Daemon.Api;

internal sealed record HealthDto(string Status, string Database, AclHealthDto Acl);
