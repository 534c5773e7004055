-- The definition version of each segment whose memberships have been evaluated over every customer
-- (a backfill). A segment whose version in force differs is backfilled before the periodic sweep
-- evaluates it, so a new or changed segment is right for every customer without waiting for events,
-- and its first sweep does not count everybody who already matched as entering it.
create table crm_segment_backfill (
    segment_id    text        primary key,
    version       text        not null,
    backfilled_at timestamptz not null,
    customers     bigint      not null,
    members       bigint      not null
);
