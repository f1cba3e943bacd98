-- State the engine keeps across generations of the data (see the SQLite `kept_state` migration):
-- never made stale by the generation; the engine decides when to choose it again.
CREATE TABLE kept_state (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
