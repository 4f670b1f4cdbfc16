-- The signed provenance (DSSE envelope) of each published attempt, stored as the exact bytes served by
-- GET /api/v1/builds/{id}/provenance: the build-end audit record carries their sha256, so a stored envelope that
-- changed would no longer match the off-site record. Written in the same transaction that marks the build succeeded.
CREATE TABLE build_provenance (
    build_id    bigint      NOT NULL REFERENCES builds (id),
    attempt     integer     NOT NULL CHECK (attempt >= 1),
    envelope    bytea       NOT NULL CHECK (octet_length(envelope) BETWEEN 1 AND 4194304),
    sha256      text        NOT NULL CHECK (sha256 ~ '^sha256:[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (build_id, attempt)
);

-- Issued is final, as for audit records: an envelope is never replaced or removed (another attempt gets its own row).
CREATE FUNCTION build_provenance_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        RAISE EXCEPTION 'build_provenance cannot be truncated: issued provenance is final'
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'build_provenance_immutable';
    END IF;
    RAISE EXCEPTION 'provenance of build % attempt % cannot be %: issued provenance is final', OLD.build_id, OLD.attempt,
        CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'changed' END
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'build_provenance_immutable';
END $$;
CREATE TRIGGER build_provenance_immutable BEFORE UPDATE OR DELETE ON build_provenance
    FOR EACH ROW EXECUTE FUNCTION build_provenance_immutable();
-- TRUNCATE skips row triggers; refuse it too.
CREATE TRIGGER build_provenance_no_truncate BEFORE TRUNCATE ON build_provenance
    FOR EACH STATEMENT EXECUTE FUNCTION build_provenance_immutable();
