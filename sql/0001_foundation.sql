-- Foundation: builds, their events, and the nonces of accepted requests.
-- States are the lowercase names of Builder.Core.Builds.BuildState; transitions are checked in code
-- (BuildStates) and recorded, one row each, in build_events.

CREATE TABLE builds (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pocket           text        NOT NULL,
    package          text        NOT NULL,
    requested_commit text        NULL,      -- the request's commit line; NULL = head of the pocket's branch
    commit_id        text        NULL,      -- resolved 40-hex commit (set while preparing)
    version          text        NULL,      -- from debian/changelog (set while preparing)
    requester        text        NOT NULL,
    key_fingerprint  text        NOT NULL,  -- SHA256:… of the key that signed the request
    acl_hash         text        NOT NULL,  -- sha256 of the ACL tree in force when accepted
    request          text        NOT NULL,  -- the exact signed bytes (UTF-8)
    signature        text        NOT NULL,  -- the armored SSHSIG
    state            text        NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued','preparing','auditing','building','publishing','succeeded','failed','rejected','cancelled')),
    failed_stage     text        NULL,
    reason           text        NULL,
    attempts         integer     NOT NULL DEFAULT 0,  -- times the build left the queue
    cancel_requested_at timestamptz NULL,  -- set by a cancel request for a running build; the pipeline acts on it
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz NULL,
    finished_at      timestamptz NULL,
    CHECK ((state = 'failed') = (failed_stage IS NOT NULL))
);

-- The dispatcher scans queued builds in id order; the partial index keeps that scan tiny.
CREATE INDEX builds_queued ON builds (id) WHERE state = 'queued';
CREATE INDEX builds_pocket_package ON builds (pocket, package, id DESC);
-- One active build per pocket+package (DESIGN.md): enforced by the database, not only the dispatcher.
CREATE UNIQUE INDEX builds_one_active ON builds (pocket, package)
    WHERE state IN ('preparing','auditing','building','publishing');

CREATE TABLE build_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    build_id    bigint      NOT NULL REFERENCES builds (id),
    at          timestamptz NOT NULL DEFAULT now(),
    from_state  text        NULL,   -- NULL for the submission itself
    to_state    text        NOT NULL,
    stage       text        NULL,
    message     text        NULL
);
CREATE INDEX build_events_build ON build_events (build_id, id);

-- Every accepted request's nonce, forever unique; rows older than the replay window may be pruned
-- because a request that old is refused on its 'issued' time anyway.
CREATE TABLE request_nonces (
    nonce       text        PRIMARY KEY CHECK (nonce ~ '^[0-9a-f]{32}$'),
    requester   text        NOT NULL,
    issued      timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_nonces_received ON request_nonces (received_at);
