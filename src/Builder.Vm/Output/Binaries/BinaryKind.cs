namespace Builder.Vm.Output.Binaries;

/// <summary>What a returned binary package is: a declared deb or udeb, or debhelper's automatic debug symbols.</summary>
public enum BinaryKind
{
    /// <summary>A <c>.deb</c> debian/control declares.</summary>
    Deb,

    /// <summary>A <c>.udeb</c> debian/control declares with <c>Package-Type: udeb</c>.</summary>
    Udeb,

    /// <summary><c>&lt;declared&gt;-dbgsym</c> with <c>Auto-Built-Package: debug-symbols</c>, as <c>.deb</c> or <c>.ddeb</c>.</summary>
    DebugSymbols,
}
