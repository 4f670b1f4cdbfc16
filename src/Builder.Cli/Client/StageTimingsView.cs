using Builder.Core.Builds;

namespace Builder.Cli.Client;

/// <summary>The <c>stages</c> of <c>GET /api/v1/builds/{id}</c>: seconds per stage, null where there is no figure.</summary>
internal sealed record StageTimingsView(double? Prepare, double? Audit, double? Boot, double? Build, double? Publish)
{
    public StageTimings ToTimings() => new(Span(Prepare), Span(Audit), Span(Boot), Span(Build), Span(Publish));

    private static TimeSpan? Span(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
