namespace Builder.Daemon.Audit;

/// <summary>Where one record stands after a delivery attempt.</summary>
internal sealed record AuditDelivery(long Seq, AuditDeliveryState State, string? MessageId, DateTimeOffset? NextAttemptAt, string? LastError)
{
    public bool Accepted => State == AuditDeliveryState.Accepted;
}
