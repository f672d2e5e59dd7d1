-- Every upstream attempt of a request (GET /generation's provider_responses), as a JSON array of
-- objects in attempt order. NULL for records stored before attempts were kept.
ALTER TABLE generations ADD COLUMN provider_responses TEXT;
