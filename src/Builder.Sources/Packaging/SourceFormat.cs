namespace Builder.Sources.Packaging;

/// <summary>The debian/source/format values Builder builds.</summary>
public enum SourceFormat
{
    /// <summary><c>3.0 (native)</c>: one tarball, no Debian revision.</summary>
    Native,

    /// <summary><c>3.0 (quilt)</c>: the upstream tarball (from the <c>upstream/&lt;version&gt;</c> tag) plus debian/.</summary>
    Quilt,
}
