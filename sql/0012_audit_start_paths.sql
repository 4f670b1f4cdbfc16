-- Closes the start invariant of 0002: every way into 'building' or 'publishing' needs the attempt's accepted
-- build-start record, not only auditing → building/publishing. So raw SQL cannot move a queued, preparing or failed
-- build (or INSERT one) straight into either state, nor give a building or publishing build another attempt number.
-- The pipeline's own paths (auditing → building, building → publishing, auditing → publishing for a copy) already
-- have the record accepted at that point: the attempt changes only on entering preparing.
CREATE OR REPLACE FUNCTION builds_require_accepted_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state IN ('building', 'publishing')
        AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state OR OLD.attempts IS DISTINCT FROM NEW.attempts OR OLD.id IS DISTINCT FROM NEW.id)
        AND NOT EXISTS (
            SELECT 1 FROM audit_records r
            WHERE r.build_id = NEW.id AND r.event = 'build-start' AND r.build_attempt = NEW.attempts AND r.message_id IS NOT NULL) THEN
        RAISE EXCEPTION 'build % cannot enter %: its build-start audit record was not accepted off-site', NEW.id, NEW.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'builds_audited_before_start';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER builds_require_accepted_audit ON builds;
CREATE TRIGGER builds_require_accepted_audit BEFORE INSERT OR UPDATE OF state, attempts, id ON builds
    FOR EACH ROW EXECUTE FUNCTION builds_require_accepted_audit();
