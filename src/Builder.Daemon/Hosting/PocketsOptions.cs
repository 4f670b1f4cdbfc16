using Builder.Core.Pockets;

namespace Builder.Daemon.Hosting;

/// <summary>The <c>Pockets</c> section: pocket name → settings.</summary>
internal sealed class PocketsOptions : Dictionary<string, PocketOptions>
{
    public const string Section = "Pockets";

    public PocketsOptions()
        : base(StringComparer.Ordinal)
    {
    }
}
