namespace Builder.Core.Builds;

/// <summary>One state change of a build as build_events records it: when, from which state (null for the submission), to which.</summary>
public readonly record struct BuildTransition(DateTimeOffset At, BuildState? From, BuildState To);
