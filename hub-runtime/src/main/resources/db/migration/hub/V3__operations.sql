-- What operators change at run time, kept across restarts.

-- Connector instances created or changed over the API. Instances defined by properties are the
-- baseline; a row here with the same connector and instance replaces that instance's configuration.
CREATE TABLE hub_connector_instance (
    connector   TEXT        NOT NULL,
    instance    TEXT        NOT NULL,
    config      JSONB       NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    changed_by  TEXT        NOT NULL,
    PRIMARY KEY (connector, instance)
);

-- The state an operator asked an instance to be in (RUNNING, PAUSED or STOPPED).
CREATE TABLE hub_instance_state (
    connector   TEXT        NOT NULL,
    instance    TEXT        NOT NULL,
    desired     TEXT        NOT NULL CHECK (desired IN ('RUNNING', 'PAUSED', 'STOPPED')),
    changed_at  TIMESTAMPTZ NOT NULL,
    changed_by  TEXT        NOT NULL,
    PRIMARY KEY (connector, instance)
);

-- Every dead letter an operator replayed or discarded: who, when, why, and what the message was
-- (its context and a digest of its payload, never the payload itself).
CREATE TABLE hub_dead_letter_audit (
    id             BIGSERIAL   PRIMARY KEY,
    action         TEXT        NOT NULL CHECK (action IN ('REPLAYED', 'DISCARDED')),
    message_id     TEXT        NOT NULL,
    actor          TEXT        NOT NULL,
    reason         TEXT,
    at             TIMESTAMPTZ NOT NULL,
    stage          TEXT,
    connector      TEXT,
    instance       TEXT,
    error_class    TEXT,
    error_message  TEXT,
    target_queue   TEXT,
    payload_bytes  INTEGER     NOT NULL,
    payload_sha256 TEXT        NOT NULL
);
CREATE INDEX hub_dead_letter_audit_at ON hub_dead_letter_audit (at DESC);
