namespace Builder.Farm.Protocol;

/// <summary>distcc protocol versions the gateway speaks. Protocol 3 (pump mode) is refused: it carries files by NAME.</summary>
public enum ProtocolVersion
{
    /// <summary>Protocol 1: bodies sent as they are.</summary>
    Plain = 1,

    /// <summary>Protocol 2: DOTI, DOTO, SERR and SOUT bodies are LZO1X-compressed (an empty body is sent as zero bytes).</summary>
    Lzo = 2,
}
