-- Compile jobs per build attempt: a build requeued after an interruption runs the farm again, and its second attempt
-- numbers its jobs from 1 again (each attempt's build-end record carries the digest of its own jobs). Keyed by build
-- and seq alone, the second attempt's first job collided with the first attempt's and the build could not finish.
ALTER TABLE compile_jobs ADD COLUMN build_attempt integer NOT NULL DEFAULT 1 CHECK (build_attempt > 0);
ALTER TABLE compile_jobs DROP CONSTRAINT compile_jobs_pkey;
ALTER TABLE compile_jobs ADD PRIMARY KEY (build_id, build_attempt, seq);
