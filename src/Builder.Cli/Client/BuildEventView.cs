namespace Builder.Cli.Client;

internal sealed record BuildEventView(DateTimeOffset At, string? From, string To, string? Stage, string? Message);
