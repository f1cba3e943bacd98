-- The first schema. Migrations are append-only: never edit one that has shipped, add a new file.

-- One row per person; an account with person = NULL is its own person until merged.
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT
);

-- One row per account per network. native_id is the network's own stable id (a DID, an actor URL,
-- a numeric X id); a source that gives only handles uses the handle.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    network INTEGER NOT NULL,
    native_id TEXT NOT NULL,
    handle TEXT,
    display_name TEXT,
    url TEXT,
    bot INTEGER NOT NULL DEFAULT 0,
    person INTEGER REFERENCES people(id),
    is_me INTEGER NOT NULL DEFAULT 0
);
-- An explicit index rather than a UNIQUE constraint, so a large import can rebuild it.
CREATE UNIQUE INDEX accounts_key ON accounts(network, native_id);
CREATE INDEX accounts_handle ON accounts(handle COLLATE NOCASE);

-- What was imported, when, from where. Interactions and posts name the import that first added them.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    checksum TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    records_read INTEGER NOT NULL,
    records_new INTEGER NOT NULL,
    records_known INTEGER NOT NULL,
    records_skipped INTEGER NOT NULL
);

-- id is a stable 63-bit hash of the network and the source's native id, or of the content where the
-- source has none, so importing the same data twice adds nothing.
CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    network INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    source INTEGER NOT NULL REFERENCES accounts(id),
    target INTEGER NOT NULL REFERENCES accounts(id),
    at INTEGER,
    post_id TEXT,
    reply_to TEXT,
    text TEXT,
    import INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX interactions_source ON interactions(source, at);
CREATE INDEX interactions_target ON interactions(target, at);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    network INTEGER NOT NULL,
    native_id TEXT NOT NULL,
    author INTEGER NOT NULL REFERENCES accounts(id),
    at INTEGER,
    text TEXT NOT NULL,
    reply_to TEXT,
    reply_to_author INTEGER REFERENCES accounts(id),
    quote_of TEXT,
    private INTEGER NOT NULL DEFAULT 0,
    import INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX posts_author ON posts(author, at);

CREATE TABLE post_hashtags (
    post INTEGER NOT NULL REFERENCES posts(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (post, tag)
) WITHOUT ROWID;
CREATE INDEX post_hashtags_tag ON post_hashtags(tag);

CREATE TABLE post_mentions (
    post INTEGER NOT NULL REFERENCES posts(id),
    account INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (post, account)
) WITHOUT ROWID;

CREATE TABLE post_links (
    post INTEGER NOT NULL REFERENCES posts(id),
    url TEXT NOT NULL,
    PRIMARY KEY (post, url)
) WITHOUT ROWID;

-- Small key/value settings of the user (the offer, cadences, ...).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
