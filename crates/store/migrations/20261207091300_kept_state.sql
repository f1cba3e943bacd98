-- State the engine keeps across generations of the data, by key: unlike a kept view (`derived`),
-- a change of the data does not make it stale, because the engine itself decides when it is
-- chosen again (discover's blend: after 7 days of the data's clock, or when the network's size
-- moved by more than 10%). Both the kept and the computed-afresh views read the same row, so
-- they stay equal.
CREATE TABLE kept_state (
    key TEXT PRIMARY KEY,
    body BLOB NOT NULL
);
