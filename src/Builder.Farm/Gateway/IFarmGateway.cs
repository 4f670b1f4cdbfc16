using Builder.Farm.Pool;

namespace Builder.Farm.Gateway;

/// <summary>The compile-farm gateway the build pipeline uses: one listener per build.</summary>
public interface IFarmGateway
{
    /// <summary>
    /// Opens a listener on 127.0.0.1 (ephemeral port) whose every job is attributed to <paramref name="buildId"/>.
    /// Dispose it (or <see cref="GatewayListener.CloseAsync"/>) when the build ends.
    /// </summary>
    Task<GatewayListener> OpenAsync(long buildId, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="OpenAsync(long, CancellationToken)"/>, for one attempt of the build: its jobs are numbered and
    /// filed under that attempt, so a requeued build's jobs never collide with those of its interrupted first attempt.
    /// </summary>
    Task<GatewayListener> OpenAsync(long buildId, int buildAttempt, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="OpenAsync(long, int, CancellationToken)"/>, with the jobs going only to the hosts of the farm
    /// pool <paramref name="pool"/> (the build's pocket's <c>FarmPool</c>); the two overloads above use
    /// <see cref="FarmOptions.DefaultPool"/>.
    /// </summary>
    /// <exception cref="ArgumentException">no such pool is configured.</exception>
    Task<GatewayListener> OpenAsync(long buildId, int buildAttempt, string pool, CancellationToken cancellationToken);

    /// <summary>The farm hosts of every pool and their health now.</summary>
    IReadOnlyList<FarmHostStatus> Hosts { get; }

    /// <summary>The configured pool names.</summary>
    IReadOnlyCollection<string> Pools { get; }
}
