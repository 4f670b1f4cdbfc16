-- Farm:KeepJobRecordsFor: the Cleanup job deletes compile_jobs rows of builds that finished before a cutoff. It finds
-- those builds by their end; compile_jobs' primary key (build_id, seq) already serves the delete by build.
CREATE INDEX builds_finished_at ON builds (finished_at) WHERE finished_at IS NOT NULL;
