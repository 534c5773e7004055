-- The timeline, partitioned by the month the core recorded each entry in (recorded_at, the core's
-- clock, never changed afterwards). Every event files an entry under its profile in
-- crm_timeline_customer_idx: in one index over years of entries that place is a random page, at
-- millions of profiles mostly out of the cache, read and then written back. In a partition of this
-- month's entries only it is a page of a small index that stays in the cache. Reading a profile's
-- timeline merges the partitions' indexes, in order.
--
-- TimelinePartitions (crm-core) creates each month's partition ahead of it, before the core applies
-- a batch. An entry no partition takes (a month it could not create) lands in crm_timeline_default,
-- kept and read like any other. The entries recorded before this migration stay where they are:
-- the old table becomes the partition crm_timeline_earlier, its indexes kept (attaching it reads it
-- once, to check its bound, and builds the new key).
alter table crm_timeline rename to crm_timeline_earlier;
alter table crm_timeline_earlier alter column id drop identity;
-- A partitioned table's key includes the partition key.
alter table crm_timeline_earlier drop constraint crm_timeline_pkey;
alter index crm_timeline_customer_idx rename to crm_timeline_earlier_customer_idx;
alter index crm_timeline_detail_kept_idx rename to crm_timeline_earlier_detail_kept_idx;

create sequence crm_timeline_id_seq;
create table crm_timeline (
    id          bigint      not null default nextval('crm_timeline_id_seq'),
    customer_id uuid        not null,
    event_id    text        not null,
    type        text        not null,
    time        timestamptz not null,
    source      text        not null,
    summary     jsonb       not null default '{}'::jsonb,
    recorded_at timestamptz not null,
    identities  jsonb       not null default '[]'::jsonb,
    primary key (id, recorded_at)
) partition by range (recorded_at);
alter sequence crm_timeline_id_seq owned by crm_timeline.id;
create index crm_timeline_customer_idx on crm_timeline (customer_id, time desc, id desc);
create index crm_timeline_detail_kept_idx on crm_timeline (time) where (summary ->> 'detailDropped') is null;

do $$
declare
    -- Everything recorded so far is earlier; the rest of this month gets its own partition now.
    bound      timestamptz := greatest(now(), (select max(recorded_at) + interval '1 microsecond' from crm_timeline_earlier));
    this_month timestamp   := date_trunc('month', bound at time zone 'UTC');
begin
    execute format('alter table crm_timeline attach partition crm_timeline_earlier for values from (minvalue) to (%L)', bound);
    execute format('create table %I partition of crm_timeline for values from (%L) to (%L)',
                   to_char(this_month, '"crm_timeline_"YYYY"_"MM'), bound, (this_month + interval '1 month') at time zone 'UTC');
    perform setval('crm_timeline_id_seq', coalesce((select max(id) from crm_timeline_earlier), 0) + 1, false);
end $$;

create table crm_timeline_default partition of crm_timeline default;
