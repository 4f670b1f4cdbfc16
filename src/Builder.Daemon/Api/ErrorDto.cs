namespace Builder.Daemon.Api;

/// <summary>The JSON error body of DESIGN.md.</summary>
public sealed record ErrorDto(string Error, string Message);
