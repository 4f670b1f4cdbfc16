namespace Builder.Daemon.Pipeline.Copies;

/// <summary>Copy from <see cref="Source"/>, or (when null) build in this pocket; <see cref="Refusals"/> say why each candidate was not taken.</summary>
internal sealed record CopyDecision(CopySource? Source, IReadOnlyList<string> Refusals);
