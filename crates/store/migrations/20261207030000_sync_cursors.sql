-- Where `rapport sync` stands for each connected account and phase (the own repository's
-- collections, notifications, followers, the circle's follows…): the network's cursor, written in
-- the same transaction as the page of records it follows, so a killed sync resumes exactly.
-- Tokens are never stored here: they live in the credentials file.
CREATE TABLE sync_cursors (
    account TEXT NOT NULL,
    phase TEXT NOT NULL,
    cursor TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (account, phase)
) WITHOUT ROWID;
