-- Keys: only the SHA-256 of a secret is stored. Limit columns are reserved for spend limits.
CREATE TABLE api_keys (
    hash          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    label         TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    management    INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    limit_usd     TEXT,
    limit_reset   TEXT
);

-- One row per request that reached routing; metadata only, never prompt or completion text.
-- Money is TEXT holding an exact decimal; timestamps are ISO-8601 UTC with milliseconds.
CREATE TABLE generations (
    id                   TEXT PRIMARY KEY,
    created_at           TEXT NOT NULL,
    key_hash             TEXT NOT NULL,
    model                TEXT NOT NULL,
    provider_slug        TEXT NOT NULL,
    provider_name        TEXT NOT NULL,
    upstream_id          TEXT NOT NULL,
    streamed             INTEGER NOT NULL,
    cancelled            INTEGER NOT NULL,
    finish_reason        TEXT,
    native_finish_reason TEXT,
    tokens_prompt        INTEGER NOT NULL,
    tokens_completion    INTEGER NOT NULL,
    tokens_cached        INTEGER NOT NULL,
    tokens_reasoning     INTEGER NOT NULL,
    cost                 TEXT NOT NULL,
    latency_ms           INTEGER NOT NULL,
    generation_ms        INTEGER NOT NULL,
    ttft_ms              INTEGER NOT NULL,
    http_referer         TEXT,
    app_title            TEXT,
    end_user             TEXT,
    status               INTEGER NOT NULL,
    error_type           TEXT,
    usage_estimated      INTEGER NOT NULL
);
CREATE INDEX generations_by_key_time ON generations (key_hash, created_at);
