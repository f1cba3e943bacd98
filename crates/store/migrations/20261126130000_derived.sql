-- Views the engine derives from the rest of the store (the people listing, discover's suggestions),
-- kept so that read commands do not recompute them from the whole history every time.
--
-- `store_generation` counts changes to the data those views are computed from. Triggers keep it:
-- a write path added later cannot forget to invalidate the views. A derived row written at an older
-- generation is stale and is never returned.
CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO store_generation (id, value) VALUES (1, 0);

CREATE TABLE derived (
    key TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    body BLOB NOT NULL
);

-- Every import adds a row here and updates it when it finishes, inside its own transaction, so one
-- trigger per import covers all the interactions and posts it wrote.
CREATE TRIGGER generation_on_import_start AFTER INSERT ON imports
BEGIN
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER generation_on_import_end AFTER UPDATE ON imports
BEGIN
    UPDATE store_generation SET value = value + 1;
END;

-- Who is "me", merges and splits of persons, bot flags and names change every view.
CREATE TRIGGER generation_on_account_change
AFTER UPDATE OF person, is_me, bot, handle, display_name ON accounts
BEGIN
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER generation_on_person_insert AFTER INSERT ON people
BEGIN
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER generation_on_person_delete AFTER DELETE ON people
BEGIN
    UPDATE store_generation SET value = value + 1;
END;
