-- Package sources: where each pocket stands per package, and the lookup for cross-pocket copies.

-- The last published commit and version of a package in a pocket. A build's pocket rules compare
-- against this row (ancestry and version), and it moves in the same transaction as the build's success.
CREATE TABLE pocket_heads (
    pocket     text        NOT NULL,
    package    text        NOT NULL,
    commit_id  text        NOT NULL CHECK (commit_id ~ '^[0-9a-f]{40}$'),
    version    text        NOT NULL,
    build_id   bigint      NOT NULL REFERENCES builds (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pocket, package)
);

-- "This exact commit already built successfully in pocket X": the pipeline copies binaries instead of rebuilding.
CREATE INDEX builds_succeeded_commit ON builds (package, commit_id, id DESC) WHERE state = 'succeeded';
