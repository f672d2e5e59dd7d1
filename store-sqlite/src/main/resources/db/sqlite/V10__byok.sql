-- Bring your own key: a workspace's own provider keys, each sealed with AES-256-GCM under the master key
-- whose id is beside it (the secret is never stored in clear). Small, read whole at start: no index
-- beyond its primary key. allowed_models and allowed_api_key_hashes are comma-separated lists, NULL for
-- no restriction.
CREATE TABLE byok_keys (
    id                     TEXT NOT NULL PRIMARY KEY,
    workspace_id           TEXT NOT NULL,
    provider               TEXT NOT NULL,
    name                   TEXT,
    label                  TEXT NOT NULL,
    disabled               INTEGER NOT NULL,
    is_fallback            INTEGER NOT NULL,
    always_use             INTEGER NOT NULL,
    sort_order             INTEGER NOT NULL,
    allowed_models         TEXT,
    allowed_api_key_hashes TEXT,
    master_key_id          TEXT NOT NULL,
    nonce                  BLOB NOT NULL,
    ciphertext             BLOB NOT NULL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) WITHOUT ROWID;

-- What BYOK requests cost at list price (billed by the provider to the workspace's own key), per key and
-- day and over a key's lifetime, beside cost_total (what credits were charged); exact decimal text.
-- Records stored before this version were never BYOK.
ALTER TABLE key_usage_daily ADD COLUMN byok_cost TEXT NOT NULL DEFAULT '0';
ALTER TABLE key_usage_lifetime ADD COLUMN byok_cost TEXT NOT NULL DEFAULT '0';
