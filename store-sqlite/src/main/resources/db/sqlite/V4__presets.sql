-- Presets and their versions. A version is never changed; a change is a new version, which becomes the
-- designated one. config is a JSON object (the chat-completions request's shape) as text. Timestamps
-- are ISO-8601 UTC with nine fraction digits, so that they sort as text.
CREATE TABLE presets (
    id                    TEXT PRIMARY KEY,
    slug                  TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    status                TEXT NOT NULL,
    designated_version_id TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);

CREATE TABLE preset_versions (
    id            TEXT PRIMARY KEY,
    preset_id     TEXT NOT NULL REFERENCES presets (id),
    version       INTEGER NOT NULL,
    system_prompt TEXT,
    config        TEXT NOT NULL,
    creator_id    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (preset_id, version)
);

-- The preset a request used (GET /generation's preset_id); NULL when it used none.
ALTER TABLE generations ADD COLUMN preset_id TEXT;
