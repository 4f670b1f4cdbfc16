using Microsoft.Extensions.Options;

namespace Builder.Tests.Common;

/// <summary>An options monitor that always returns one value (for components built by hand in tests).</summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
