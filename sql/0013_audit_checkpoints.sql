-- Checkpoints: a record event without a build, written every Audit:CheckpointInterval so that an auditor's
-- mailbox whose newest record is old shows a silent host or deleted mails. Only a checkpoint lacks a build.
ALTER TABLE audit_records DROP CONSTRAINT audit_records_event_check;
ALTER TABLE audit_records ADD CONSTRAINT audit_records_event_check
    CHECK (event IN ('build-start', 'build-end', 'checkpoint'));
ALTER TABLE audit_records ALTER COLUMN build_id DROP NOT NULL;
ALTER TABLE audit_records ALTER COLUMN build_attempt DROP NOT NULL;
ALTER TABLE audit_records ADD CONSTRAINT audit_records_build_unless_checkpoint
    CHECK (CASE WHEN event = 'checkpoint' THEN build_id IS NULL AND build_attempt IS NULL
                ELSE build_id IS NOT NULL AND build_attempt IS NOT NULL END);

-- The same append-only rule as 0002, with IS DISTINCT FROM: a NULL build_id compared with '<>' is NULL, and would
-- let an UPDATE give a checkpoint a build (or take one from a build record) unnoticed.
CREATE OR REPLACE FUNCTION audit_records_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit record % cannot be deleted: the chain is append-only', OLD.seq
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'audit_records_append_only';
    END IF;
    IF NEW.seq <> OLD.seq OR NEW.prev <> OLD.prev OR NEW.hash <> OLD.hash OR NEW.record <> OLD.record
        OR NEW.build_id IS DISTINCT FROM OLD.build_id OR NEW.build_attempt IS DISTINCT FROM OLD.build_attempt OR NEW.event <> OLD.event
        OR (OLD.message_id IS NOT NULL AND NEW.message_id IS DISTINCT FROM OLD.message_id) THEN
        RAISE EXCEPTION 'audit record %: its text, chain fields and stored Message-ID cannot change', OLD.seq
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'audit_records_append_only';
    END IF;
    RETURN NEW;
END $$;
