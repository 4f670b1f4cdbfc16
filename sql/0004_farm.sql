-- Compile jobs seen by the farm gateway, one row per job, in the order the gateway numbered them (seq).
-- The per-build digest in the build-end audit record is computed over exactly these rows (CompileJobDigest),
-- so they are never updated after insert. Hashes are SHA-256 of the UNCOMPRESSED bodies (DOTI source, DOTO object).

CREATE TABLE compile_jobs (
    build_id      bigint      NOT NULL REFERENCES builds (id),
    seq           integer     NOT NULL CHECK (seq > 0),
    started_at    timestamptz NOT NULL,              -- whole milliseconds
    duration_ms   integer     NOT NULL CHECK (duration_ms >= 0),  -- accept to answer written, at the gateway
    farm_ms       integer     NULL CHECK (farm_ms >= 0),          -- connect to the farm host until its first answer byte
    outcome       text        NOT NULL
        CHECK (outcome IN ('compiled','compile-failed','refused','protocol-error','farm-unavailable','cancelled')),
    compiler      text        NULL,                  -- the farm's compiler (NULL when refused before mapping)
    argv          text[]      NOT NULL,              -- canonical argv forwarded; the client's argv when refused
    input_sha256  text        NULL CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
    output_sha256 text        NULL CHECK (output_sha256 ~ '^[0-9a-f]{64}$'),
    host          text        NULL,                  -- farm host that answered (or was tried last)
    attempts      integer     NOT NULL CHECK (attempts >= 0),
    status        bigint      NULL,                  -- distcc wait status (0 = compiled, 256 = exit 1)
    reason        text        NULL,                  -- why it was refused / failed
    PRIMARY KEY (build_id, seq)
);

-- Refusals are what an auditor looks for first.
CREATE INDEX compile_jobs_refused ON compile_jobs (build_id) WHERE outcome IN ('refused','protocol-error');
