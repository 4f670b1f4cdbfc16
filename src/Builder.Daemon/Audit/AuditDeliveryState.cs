namespace Builder.Daemon.Audit;

internal enum AuditDeliveryState
{
    /// <summary>The server accepted the record for every recipient; its Message-ID is stored.</summary>
    Accepted,

    /// <summary>Not delivered yet (transient failure, or an earlier record still waits); retried with back-off.</summary>
    Pending,

    /// <summary>Permanently refused: no retries until an admin releases it; an alert was sent.</summary>
    Held,
}
