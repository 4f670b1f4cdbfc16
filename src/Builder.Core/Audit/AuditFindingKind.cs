namespace Builder.Core.Audit;

/// <summary>What is wrong at a seq. Every kind means the mailbox does not show an intact chain.</summary>
public enum AuditFindingKind
{
    /// <summary>A mail that claims to be an audit record but whose record does not parse.</summary>
    Malformed,

    /// <summary>The S/MIME signature does not verify, or was made by another certificate.</summary>
    BadSignature,

    /// <summary>The hash the mail announces is not the hash of the record it carries.</summary>
    HashMismatch,

    /// <summary>A seq between the first and the last is missing.</summary>
    Gap,

    /// <summary>The same record (same hash) appears more than once.</summary>
    Duplicate,

    /// <summary>Two different records carry the same seq.</summary>
    Fork,

    /// <summary>The record's prev is not the hash of the record before it.</summary>
    BrokenLink,

    /// <summary>The record arrived after a record with a higher seq (records are delivered strictly in seq order).</summary>
    Reordered,

    /// <summary>The server has a record (or a delivery) the mailbox lacks, or the two disagree.</summary>
    ServerMismatch,

    /// <summary>The server has no Message-ID for the record: it was never accepted off-site.</summary>
    NotDelivered,

    /// <summary>
    /// A cross-pocket copy's <c>copy-of</c> names a seq that is not before its own, or a record in the mailbox that is
    /// not the succeeded build-end record of the build it names.
    /// </summary>
    BadCopySource,

    /// <summary>
    /// A build-start whose build-end is missing although later records show that attempt is over: a later build-start
    /// of the same build (a new attempt), or of the same pocket and package (which never run two builds at once).
    /// </summary>
    Open,

    /// <summary>
    /// A checkpoint's certified head (seq − 1 and its prev) is not the record the mailbox holds before it: the chain
    /// it vouches for is not the one delivered, e.g. a fork hidden behind it.
    /// </summary>
    CheckpointHead,

    /// <summary>
    /// With a maximum age: the newest record is older than that at verification time; the host stopped sending,
    /// or the newest mails were deleted. It has no seq of its own (the message names the newest).
    /// </summary>
    Stale,
}
