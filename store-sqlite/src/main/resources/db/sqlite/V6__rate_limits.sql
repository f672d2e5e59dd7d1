-- Rate limits: a key may have its own requests and tokens per minute (null: none of its own). The counts
-- themselves live in memory (per node); only the limits are stored.
ALTER TABLE api_keys ADD COLUMN requests_per_minute INTEGER;
ALTER TABLE api_keys ADD COLUMN tokens_per_minute INTEGER;
