-- API tokens of machine clients (DESIGN §8): created and revoked by an admin, each scoped to one
-- role. Only the SHA-256 of the token is kept: the token itself is shown once, at creation. A token
-- is high-entropy random, so a fast hash suffices and a request costs no password hashing.
CREATE TABLE hub_api_token (
    id           TEXT        PRIMARY KEY,
    name         TEXT        NOT NULL,
    role         TEXT        NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    token_sha256 TEXT        NOT NULL UNIQUE,
    hint         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT        NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    revoked_by   TEXT
);
