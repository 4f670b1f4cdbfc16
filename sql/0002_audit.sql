-- Audit trail: one hash chain of audit records per installation, and the invariant that no build starts
-- (building, or publishing straight from auditing) without an accepted build-start record.

-- The chain head: one row. Appending a record locks it (SELECT … FOR UPDATE) in the same transaction that
-- inserts the record, so two daemons on one database allocate seqs one after the other and never fork the chain.
CREATE TABLE audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq       bigint  NOT NULL CHECK (seq >= 0),
    hash      text    NOT NULL
);
INSERT INTO audit_chain_head (seq, hash) VALUES (0, 'genesis');

CREATE TABLE audit_records (
    seq             bigint      PRIMARY KEY CHECK (seq > 0),
    prev            text        NOT NULL UNIQUE,   -- no two records follow the same record: no fork
    hash            text        NOT NULL UNIQUE,
    record          text        NOT NULL,          -- the canonical record text, exactly as mailed
    build_id        bigint      NOT NULL REFERENCES builds (id),
    build_attempt   integer     NOT NULL,          -- builds.attempts when written: a requeued build is audited again
    event           text        NOT NULL CHECK (event IN ('build-start', 'build-end')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    message_id      text        NULL,              -- NULL until the SMTP server accepted the mail for every recipient
    accepted_at     timestamptz NULL,
    attempts        integer     NOT NULL DEFAULT 0,  -- failed delivery attempts
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text        NULL,
    held_at         timestamptz NULL,              -- a permanent (5xx) failure: no retries until an admin releases it
    CHECK ((message_id IS NULL) = (accepted_at IS NULL)),
    CHECK (hash = 'sha256:' || encode(sha256(convert_to(record, 'UTF8')), 'hex')),
    CHECK ((seq = 1) = (prev = 'genesis')),
    CHECK (prev = 'genesis' OR prev ~ '^sha256:[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX audit_records_build_event ON audit_records (build_id, event, build_attempt);
-- Delivery walks the undelivered records in seq order; the partial index keeps that tiny.
CREATE INDEX audit_records_pending ON audit_records (seq) WHERE message_id IS NULL;

-- Appending must extend the head exactly: seq = head + 1 and prev = head's hash. The head moves here, so no
-- code path can insert a record without advancing it.
CREATE FUNCTION audit_records_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_chain_head FOR UPDATE;
    IF NEW.seq <> head.seq + 1 OR NEW.prev <> head.hash THEN
        RAISE EXCEPTION 'audit record % does not extend the chain head (seq %, hash %)', NEW.seq, head.seq, head.hash
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'audit_records_extend_head';
    END IF;
    UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_records_append BEFORE INSERT ON audit_records FOR EACH ROW EXECUTE FUNCTION audit_records_append();

-- Records are append-only: the text and chain fields never change, and a stored Message-ID is final.
CREATE FUNCTION audit_records_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit record % cannot be deleted: the chain is append-only', OLD.seq
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'audit_records_append_only';
    END IF;
    IF NEW.seq <> OLD.seq OR NEW.prev <> OLD.prev OR NEW.hash <> OLD.hash OR NEW.record <> OLD.record
        OR NEW.build_id <> OLD.build_id OR NEW.build_attempt <> OLD.build_attempt OR NEW.event <> OLD.event
        OR (OLD.message_id IS NOT NULL AND NEW.message_id IS DISTINCT FROM OLD.message_id) THEN
        RAISE EXCEPTION 'audit record %: its text, chain fields and stored Message-ID cannot change', OLD.seq
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'audit_records_append_only';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_records_immutable BEFORE UPDATE OR DELETE ON audit_records FOR EACH ROW EXECUTE FUNCTION audit_records_immutable();

-- The fail-closed invariant, in the database and not only in code: a build enters 'building' (the VM boots),
-- or 'publishing' straight from 'auditing' (a cross-pocket copy), only if the build-start record of this
-- attempt was accepted off-site (its Message-ID is stored).
CREATE FUNCTION builds_require_accepted_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.state = 'building' OR (NEW.state = 'publishing' AND TG_OP = 'UPDATE' AND OLD.state = 'auditing'))
        AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state)
        AND NOT EXISTS (
            SELECT 1 FROM audit_records r
            WHERE r.build_id = NEW.id AND r.event = 'build-start' AND r.build_attempt = NEW.attempts AND r.message_id IS NOT NULL) THEN
        RAISE EXCEPTION 'build % cannot enter %: its build-start audit record was not accepted off-site', NEW.id, NEW.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'builds_audited_before_start';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER builds_require_accepted_audit BEFORE INSERT OR UPDATE OF state ON builds
    FOR EACH ROW EXECUTE FUNCTION builds_require_accepted_audit();
