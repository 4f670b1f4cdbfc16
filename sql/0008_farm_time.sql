-- compile_jobs.farm_ms: from this version on the farm's time ends when its answer is complete, not at its first
-- byte. distccd writes an answer in several unbuffered writes (result headers, then the object), and a client
-- talking to distccd directly waits for all of them too; what remains of a job's duration is the gateway's own.
COMMENT ON COLUMN compile_jobs.farm_ms IS
    'connect to the farm host until its answer is complete (rows written before migration 0008: until its first answer byte)';
