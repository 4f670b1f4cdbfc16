-- compile_jobs.pool: the farm pool (Farm:Pools, the pocket's FarmPool) the build's gateway sent its jobs to. Rows
-- written before pools existed have NULL: they all went to the one pool of Farm:Hosts, named 'default' since.
ALTER TABLE compile_jobs ADD COLUMN pool text CHECK (pool ~ '^[a-z0-9][a-z0-9-]{0,62}$');
COMMENT ON COLUMN compile_jobs.pool IS 'farm pool of the build''s gateway listener (NULL: before farm pools, the default pool)';
