-- Every look at a person's data in clear (a reveal of a customer's personal data, an access
-- export): who, when, which customer, why and from which address. It holds no personal data of the
-- customer itself; the reason is masked like a log line before it is kept.
CREATE TABLE hub_privacy_audit (
    id             BIGSERIAL   PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL CHECK (action IN ('reveal', 'export')),
    customer_id    TEXT        NOT NULL,
    reason         TEXT,
    client_address TEXT
);
CREATE INDEX hub_privacy_audit_at_idx ON hub_privacy_audit (at DESC, id DESC);
CREATE INDEX hub_privacy_audit_customer_idx ON hub_privacy_audit (customer_id, at DESC);
CREATE INDEX hub_privacy_audit_actor_idx ON hub_privacy_audit (actor, at DESC);

-- An API token may carry the permission to reveal personal data, as a named user may.
ALTER TABLE hub_api_token ADD COLUMN reveal BOOLEAN NOT NULL DEFAULT false;
