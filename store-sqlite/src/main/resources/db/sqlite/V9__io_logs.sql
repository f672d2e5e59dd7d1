-- Prompts and completions of requests whose workspace or key opted in to input/output logging, kept
-- for the configured retention; no other request content is ever stored.
CREATE TABLE io_logs (
    generation_id TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    key_hash      TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    input         TEXT NOT NULL,
    output        TEXT NOT NULL,
    truncated     INTEGER NOT NULL
);
CREATE INDEX io_logs_created ON io_logs (created_at);
