namespace Builder.Daemon.Api;

/// <summary>The JSON error body of DESIGN.md.</summary>
internal sealed record ErrorDto(string Error, string Message);
