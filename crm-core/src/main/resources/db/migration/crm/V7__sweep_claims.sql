-- Work done once per period across the cluster (a daily sweep, a segment backfill): the node that
-- inserts the (job, period) row runs it. A claim whose node died before finishing may be taken
-- over once its lease has run out.
create table crm_sweep_claim (
    job         text        not null,
    period      text        not null,
    node        text        not null,
    claimed_at  timestamptz not null,
    lease_until timestamptz not null,
    finished_at timestamptz,
    outcome     text,
    primary key (job, period)
);
