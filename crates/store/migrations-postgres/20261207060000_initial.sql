-- The PostgreSQL schema: the SQLite store's tables, each carrying the workspace it belongs to.
-- Migrations are append-only: never edit one that has shipped, add a new file.
--
-- Ids are per workspace, as in a SQLite store (every key starts with workspace_id), so a personal
-- store moved into a workspace keeps its account and person ids, and the action ids made from them.
-- The store assigns them while it holds its workspace's row lock (see `postgres/mod.rs`).

-- One row per client or team. `generation` counts changes to the data kept views are computed
-- from; the triggers below move it, so a write path added later cannot forget to.
CREATE TABLE workspaces (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    generation BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE people (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    id BIGINT NOT NULL,
    name TEXT,
    PRIMARY KEY (workspace_id, id)
);

-- Accounts and the tables after them are large (a table import brings hundreds of thousands):
-- they carry no foreign keys. The writer resolves every account before it writes a row naming it
-- (as the SQLite store's writer does with its checks off), and a per-row check, which also locks
-- the workspace's row, would cost a third of an import. Deleting a workspace deletes their rows
-- explicitly. Text keys compare bytes (COLLATE "C"), as SQLite does, and so faster than a locale.
CREATE TABLE accounts (
    workspace_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    network SMALLINT NOT NULL,
    native_id TEXT COLLATE "C" NOT NULL,
    handle TEXT,
    display_name TEXT,
    url TEXT,
    bot BOOLEAN NOT NULL DEFAULT FALSE,
    person BIGINT,
    is_me BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX accounts_key ON accounts(workspace_id, network, native_id);
-- Handles compare as SQLite's NOCASE does (ASCII letters folded): lower() in a C collation.
CREATE INDEX accounts_handle ON accounts(workspace_id, lower(handle COLLATE "C"))
    WHERE handle IS NOT NULL;
CREATE INDEX accounts_person ON accounts(workspace_id, person) WHERE person IS NOT NULL;

CREATE TABLE imports (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    id BIGINT NOT NULL,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    checksum TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    records_read BIGINT NOT NULL,
    records_new BIGINT NOT NULL,
    records_known BIGINT NOT NULL,
    records_skipped BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- Interactions, the largest table, are partitioned by workspace (`interactions_<id>`): the first
-- import into a workspace writes its partition as a table of its own, builds its indexes in one
-- sort each, and attaches it; an index updated row by row costs five times as much.
CREATE TABLE interactions (
    workspace_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    network SMALLINT NOT NULL,
    kind SMALLINT NOT NULL,
    source BIGINT NOT NULL,
    target BIGINT NOT NULL,
    at BIGINT,
    post_id TEXT,
    reply_to TEXT,
    text TEXT,
    import BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
) PARTITION BY LIST (workspace_id);
CREATE INDEX interactions_source ON interactions(workspace_id, source, at);
CREATE INDEX interactions_target ON interactions(workspace_id, target, at);

CREATE TABLE posts (
    workspace_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    network SMALLINT NOT NULL,
    native_id TEXT NOT NULL,
    author BIGINT NOT NULL,
    at BIGINT,
    text TEXT NOT NULL,
    reply_to TEXT,
    reply_to_author BIGINT,
    quote_of TEXT,
    private BOOLEAN NOT NULL DEFAULT FALSE,
    import BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX posts_author ON posts(workspace_id, author, at);
CREATE INDEX posts_at ON posts(workspace_id, at);

CREATE TABLE post_hashtags (
    workspace_id BIGINT NOT NULL,
    post BIGINT NOT NULL,
    tag TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, post, tag)
);
CREATE TABLE post_mentions (
    workspace_id BIGINT NOT NULL,
    post BIGINT NOT NULL,
    account BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, post, account)
);
CREATE TABLE post_links (
    workspace_id BIGINT NOT NULL,
    post BIGINT NOT NULL,
    url TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, post, url)
);

CREATE TABLE settings (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (workspace_id, key)
);

CREATE TABLE action_state (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    id TEXT COLLATE "C" NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'snoozed')),
    until BIGINT,
    at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE sync_cursors (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    account TEXT COLLATE "C" NOT NULL,
    phase TEXT COLLATE "C" NOT NULL,
    cursor TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, account, phase)
);

-- Kept views (see the SQLite `derived` migration): a row kept at an older generation is stale.
CREATE TABLE derived (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    generation BIGINT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (workspace_id, key)
);

CREATE FUNCTION rapport_next_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE workspaces SET generation = generation + 1
     WHERE id = coalesce(NEW.workspace_id, OLD.workspace_id);
    RETURN NULL;
END
$$;

-- Every import adds a row and updates it when it finishes, in its own transaction.
CREATE TRIGGER generation_on_import AFTER INSERT OR UPDATE ON imports
    FOR EACH ROW EXECUTE FUNCTION rapport_next_generation();
-- Who is "me", merges and splits, bot flags and names change every view.
CREATE TRIGGER generation_on_account_change
    AFTER UPDATE OF person, is_me, bot, handle, display_name ON accounts
    FOR EACH ROW
    WHEN (OLD.person IS DISTINCT FROM NEW.person OR OLD.is_me IS DISTINCT FROM NEW.is_me
          OR OLD.bot IS DISTINCT FROM NEW.bot OR OLD.handle IS DISTINCT FROM NEW.handle
          OR OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION rapport_next_generation();
CREATE TRIGGER generation_on_person AFTER INSERT OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION rapport_next_generation();
