-- Accounts: every key belongs to a workspace and may have a spend limit and an expiry; a workspace's
-- credits are the sum of its ledger entries (grants, refunds, fees, adjustments) less its usage, which
-- is the sum of its keys' lifetime spend. Money is exact decimal text, summed in Java, never by SQLite.
ALTER TABLE api_keys ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
-- limit_usd and limit_reset were reserved by version 1.
ALTER TABLE api_keys ADD COLUMN include_byok_in_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;

-- The workspace a key's spend counts against, kept with its totals so that it outlives the key.
ALTER TABLE key_usage_lifetime ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX key_usage_lifetime_workspace ON key_usage_lifetime (workspace_id);

CREATE TABLE credit_entries (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('grant', 'refund', 'fee', 'adjustment')),
    amount       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX credit_entries_workspace ON credit_entries (workspace_id, created_at);
