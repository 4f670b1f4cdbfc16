-- Every attempt that opened the chain closes it before its result counts: an attempt with a build-start record
-- reaches succeeded, failed or cancelled only together with its build-end record (the pipeline and recovery write
-- both in one transaction). And an attempt that has its build-end record is over: it cannot enter building or
-- publishing again (0012 asked only for the accepted start, so raw SQL could move such an attempt from failed or
-- succeeded back into either).
-- A move from queued is not checked: a queued build's attempt ended when it was failed and requeued, and attempts
-- recovered before this migration may lack their build-end record.
CREATE FUNCTION builds_require_build_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state OR OLD.attempts IS DISTINCT FROM NEW.attempts OR OLD.id IS DISTINCT FROM NEW.id)
        AND (TG_OP = 'INSERT' OR OLD.state <> 'queued') THEN
        IF NEW.state IN ('succeeded', 'failed', 'cancelled')
            AND EXISTS (SELECT 1 FROM audit_records r
                        WHERE r.build_id = NEW.id AND r.event = 'build-start' AND r.build_attempt = NEW.attempts)
            AND NOT EXISTS (SELECT 1 FROM audit_records r
                            WHERE r.build_id = NEW.id AND r.event = 'build-end' AND r.build_attempt = NEW.attempts) THEN
            RAISE EXCEPTION 'build % cannot become %: attempt % has a build-start audit record and no build-end record', NEW.id, NEW.state, NEW.attempts
                USING ERRCODE = 'check_violation', CONSTRAINT = 'builds_audited_before_end';
        END IF;
    END IF;
    IF NEW.state IN ('building', 'publishing')
        AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state OR OLD.attempts IS DISTINCT FROM NEW.attempts OR OLD.id IS DISTINCT FROM NEW.id)
        AND EXISTS (SELECT 1 FROM audit_records r
                    WHERE r.build_id = NEW.id AND r.event = 'build-end' AND r.build_attempt = NEW.attempts) THEN
        RAISE EXCEPTION 'build % cannot enter %: attempt % has ended (its build-end audit record is written)', NEW.id, NEW.state, NEW.attempts
            USING ERRCODE = 'check_violation', CONSTRAINT = 'builds_ended_attempt_final';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER builds_require_build_end BEFORE INSERT OR UPDATE OF state, attempts, id ON builds
    FOR EACH ROW EXECUTE FUNCTION builds_require_build_end();
