namespace Builder.Core.Provenance;

/// <summary>The type URIs of the provenance statement and its envelope. Stable: verifiers match them exactly.</summary>
public static class ProvenanceTypes
{
    public const string Statement = "https://in-toto.io/Statement/v1";

    public const string SlsaProvenance = "https://slsa.dev/provenance/v1";

    /// <summary>The DSSE payload type of an in-toto statement.</summary>
    public const string InTotoPayload = "application/vnd.in-toto+json";

    /// <summary>The media type the daemon serves the envelope with.</summary>
    public const string DsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    /// <summary>
    /// Our build type: a Debian source package built in a VM from a signed request (or copied from another pocket). A URN
    /// rather than a URL: the installation has no canonical web address, and the meaning is documented in README.md.
    /// </summary>
    public const string BuildType = "urn:builder:build-type:debian-package:v1";

    /// <summary>The prefix of <c>runDetails.builder.id</c>: <c>urn:builder:host:&lt;host&gt;:image:sha256:&lt;hex&gt;</c>.</summary>
    public const string BuilderIdPrefix = "urn:builder:host:";

    public static string BuilderId(string host, string imageSha256) =>
        imageSha256.Length == 0 ? BuilderIdPrefix + host : $"{BuilderIdPrefix}{host}:image:sha256:{imageSha256}";

    public static string InvocationId(long buildId, int attempt) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"build/{buildId}/attempt/{attempt}");
}
