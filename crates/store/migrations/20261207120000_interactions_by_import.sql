-- What each import wrote, found without reading the rest (issue 13): a reader that keeps the history
-- of "me" from one generation to the next (`rapport sync --follow`, `rapport serve`) reads only the
-- interactions of the imports since, which SQLite numbers in the order they commit.
CREATE INDEX interactions_import ON interactions(import);
