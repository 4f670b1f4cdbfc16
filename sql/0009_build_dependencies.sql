-- Pockets as trust domains: every build attempt's build-dependencies with where each came from (the mirror or a
-- pocket's repository) and the sha256 of the .deb, as its audit record (format 2) lists them. A cross-pocket copy
-- lists the build-dependencies of the build it copies. Kept with the build (the API shows them).
CREATE TABLE build_dependencies (
    build_id      bigint  NOT NULL REFERENCES builds (id),
    attempt       integer NOT NULL,
    position      integer NOT NULL,
    name          text    NOT NULL,
    version       text    NOT NULL,
    architecture  text    NULL,
    origin        text    NOT NULL CHECK (origin = 'mirror' OR origin ~ '^pocket:[a-z0-9][a-z0-9-]*$'),
    sha256        text    NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (build_id, attempt, position)
);
