namespace Builder.Cli.Client;

internal sealed record BuildDetailsView(BuildView Build, string KeyFingerprint, string AclHash, string Request, string Signature, IReadOnlyList<BuildEventView> Events,
    StageTimingsView? Stages = null);
