using System.Collections;

namespace Builder.Core.Options;

/// <summary>
/// The errors of one configuration section, collected so that start-up reports every one at once (each message names
/// its full key, e.g. <c>Scheduler:Slots</c>) rather than the first only. Core has no options dependency, so a
/// validator ends with <c>errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors)</c>.
/// The checks below word the common rules alike in every section; a rule of its own uses <see cref="Require"/>.
/// </summary>
public sealed class OptionsErrors : IReadOnlyList<string>
{
    private readonly List<string> _errors = [];

    public int Count => _errors.Count;

    public string this[int index] => _errors[index];

    public void Add(string error) => _errors.Add(error);

    /// <summary>Adds <paramref name="error"/> unless <paramref name="ok"/>.</summary>
    public void Require(bool ok, string error)
    {
        if (!ok)
        {
            _errors.Add(error);
        }
    }

    /// <summary><c>{key} is required</c>, then <paramref name="hint"/> (e.g. an example value in parentheses).</summary>
    public void Required(string key, string? value, string hint = "") =>
        Require(!string.IsNullOrWhiteSpace(value), hint.Length == 0 ? $"{key} is required" : $"{key} is required {hint}");

    public void InRange(string key, int value, int min, int max) =>
        Require(value >= min && value <= max, $"{key} must be from {min} to {max} (is {value})");

    public void InRange(string key, TimeSpan value, TimeSpan min, TimeSpan max) =>
        Require(value >= min && value <= max, $"{key} must be from {min} to {max} (is {value})");

    public void AtLeast(string key, TimeSpan value, TimeSpan min) =>
        Require(value >= min, $"{key} must be at least {min} (is {value})");

    public void Positive(string key, TimeSpan value) => Require(value > TimeSpan.Zero, $"{key} must be positive (is {value})");

    /// <summary><c>{key} must be an absolute path</c>, then <paramref name="hint"/>, then the value.</summary>
    public void AbsolutePath(string key, string value, string hint = "") =>
        Require(Path.IsPathFullyQualified(value),
            hint.Length == 0 ? $"{key} must be an absolute path (is '{value}')" : $"{key} must be an absolute path {hint} (is '{value}')");

    public IEnumerator<string> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
