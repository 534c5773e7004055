-- Retention: the last sweep of each kind of data (counts only, never what was swept), for
-- GET /api/v1/privacy/retention. Which node sweeps a day is decided by crm_sweep_claim (job 'retention').
CREATE TABLE hub_retention_run (
    kind        TEXT        PRIMARY KEY,
    period      TEXT        NOT NULL,
    node        TEXT        NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    cutoff      TIMESTAMPTZ NOT NULL,
    swept       BIGINT      NOT NULL,
    error       TEXT
);
