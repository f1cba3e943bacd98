-- What the user did with the daily actions: done, or snoozed until a moment.
CREATE TABLE action_state (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('done', 'snoozed')),
    until INTEGER,
    at INTEGER NOT NULL
);

-- Recent posts of the whole network (warm opportunities in `rapport today`).
CREATE INDEX posts_at ON posts(at);
