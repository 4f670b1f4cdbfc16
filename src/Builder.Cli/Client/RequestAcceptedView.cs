namespace Builder.Cli.Client;

internal sealed record RequestAcceptedView(long Id, string State, bool CancelRequested, string Url);
