-- Team mode: users, their roles per workspace, sessions, API tokens, invitations and the audit log.
-- Tokens are kept only as their SHA-256 (32 bytes); passwords only as Argon2id PHC strings.

CREATE TABLE users (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    password   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Names are unique without case: "Ann" and "ann" are one login.
CREATE UNIQUE INDEX users_name ON users (lower(name));

CREATE TABLE memberships (
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (user_id, workspace_id)
);
CREATE INDEX memberships_workspace ON memberships (workspace_id);

-- A session is in one workspace at a time (the switcher moves it).
CREATE TABLE sessions (
    token_hash   BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- An API token acts as its user in one workspace.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE invitations (
    token_hash   BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
    workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    invited_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    used_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    used_at      TIMESTAMPTZ
);

-- Append only. The user's name is copied so an entry still says who after the user is removed.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    user_name    TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, id);
