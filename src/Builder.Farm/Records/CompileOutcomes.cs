namespace Builder.Farm.Records;

/// <summary>The outcome column of a compile-job record (stable strings: they are stored and digested).</summary>
internal static class CompileOutcomes
{
    /// <summary>The farm compiled it (status 0) and the object went back to the client.</summary>
    public const string Compiled = "compiled";

    /// <summary>The farm's compiler failed (non-zero status); its answer went back to the client.</summary>
    public const string CompileFailed = "compile-failed";

    /// <summary>The policy refused it; the client got status 1 with a SERR line and compiles locally.</summary>
    public const string Refused = "refused";

    /// <summary>The client's bytes were not valid protocol or exceeded a cap.</summary>
    public const string ProtocolError = "protocol-error";

    /// <summary>No farm host could compile it (all down, or every attempt failed).</summary>
    public const string FarmUnavailable = "farm-unavailable";

    /// <summary>The listener closed (build ended) while the job was in flight.</summary>
    public const string Cancelled = "cancelled";
}
