-- Accounts known only by reference (most accounts of a large table import) have no handle. The
-- handle index leaves them out, so that such an import does not write an index entry per account
-- for nothing; a lookup by handle implies the handle is not NULL, so it still uses the index.
DROP INDEX accounts_handle;
CREATE INDEX accounts_handle ON accounts(handle COLLATE NOCASE) WHERE handle IS NOT NULL;
