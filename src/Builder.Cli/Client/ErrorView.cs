namespace Builder.Cli.Client;

internal sealed record ErrorView(string? Error, string? Message);
