-- Accounts, partitioned by workspace as interactions are (`accounts_<id>`): the first import into a
-- workspace, whose accounts are all new (a table brings hundreds of thousands), writes its partition
-- as a table of its own and builds the indexes at the end in one sort each, instead of maintaining
-- the unique key row by row, which took a third of such an import. Existing rows move, unchanged.

ALTER TABLE accounts RENAME TO accounts_unpartitioned;
ALTER INDEX accounts_pkey RENAME TO accounts_unpartitioned_pkey;
ALTER INDEX accounts_key RENAME TO accounts_unpartitioned_key;
ALTER INDEX accounts_handle RENAME TO accounts_unpartitioned_handle;
ALTER INDEX accounts_person RENAME TO accounts_unpartitioned_person;
DROP TRIGGER generation_on_account_change ON accounts_unpartitioned;

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
) PARTITION BY LIST (workspace_id);
CREATE UNIQUE INDEX accounts_key ON accounts(workspace_id, network, native_id);
CREATE INDEX accounts_handle ON accounts(workspace_id, lower(handle COLLATE "C"))
    WHERE handle IS NOT NULL;
CREATE INDEX accounts_person ON accounts(workspace_id, person) WHERE person IS NOT NULL;
CREATE TRIGGER generation_on_account_change
    AFTER UPDATE OF person, is_me, bot, handle, display_name ON accounts
    FOR EACH ROW
    WHEN (OLD.person IS DISTINCT FROM NEW.person OR OLD.is_me IS DISTINCT FROM NEW.is_me
          OR OLD.bot IS DISTINCT FROM NEW.bot OR OLD.handle IS DISTINCT FROM NEW.handle
          OR OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION rapport_next_generation();

DO $$
DECLARE
    w BIGINT;
BEGIN
    FOR w IN SELECT DISTINCT workspace_id FROM accounts_unpartitioned LOOP
        EXECUTE format('CREATE TABLE accounts_%s PARTITION OF accounts FOR VALUES IN (%s)', w, w);
    END LOOP;
END
$$;
INSERT INTO accounts SELECT * FROM accounts_unpartitioned;
DROP TABLE accounts_unpartitioned;
