-- The timeline, partitioned by the month the core records each entry in (recorded_at, UTC). Every
-- event files an entry under its profile in crm_timeline_customer_idx; in one index over years of
-- entries that place is a random page, at millions of profiles mostly out of the cache. In this
-- month's partition it is a page of a small index that stays in the cache.
--
-- TimelinePartitions makes each month's partition ahead of it; an entry no partition takes lands in
-- crm_timeline_default. What was recorded before now stays in the old table, attached as the
-- partition crm_timeline_earlier with its indexes (attaching reads it once to check the bound).
alter table crm_timeline rename to crm_timeline_earlier;
-- Ids go on from where the old sequence stood, so no id is handed out twice.
create sequence crm_timeline_id_seq_next;
select setval('crm_timeline_id_seq_next', greatest(s.last_value, coalesce((select max(id) from crm_timeline_earlier), 0), 1), true)
  from crm_timeline_id_seq s;
alter table crm_timeline_earlier alter column id drop identity;
alter sequence crm_timeline_id_seq_next rename to crm_timeline_id_seq;
-- A partitioned table's key includes the partition key.
alter table crm_timeline_earlier drop constraint crm_timeline_pkey;
alter index crm_timeline_customer_idx rename to crm_timeline_earlier_customer_idx;
alter index crm_timeline_detail_kept_idx rename to crm_timeline_earlier_detail_kept_idx;

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
create table crm_timeline_default partition of crm_timeline default;

do $$
declare
    bound      timestamptz := now();
    this_month timestamp   := date_trunc('month', now() at time zone 'UTC');
begin
    -- The rest of this month gets its own partition now.
    execute format('create table %I partition of crm_timeline for values from (%L) to (%L)',
                   to_char(this_month, '"crm_timeline_"YYYY"_"MM'), bound, (this_month + interval '1 month') at time zone 'UTC');
    -- Entries recorded after now (by a clock ahead of this server's) move to the month they belong to,
    -- or to the default partition, so the earlier entries end where the partitions begin.
    insert into crm_timeline (id, customer_id, event_id, type, time, source, summary, recorded_at, identities)
    select id, customer_id, event_id, type, time, source, summary, recorded_at, identities
      from crm_timeline_earlier where recorded_at >= bound;
    delete from crm_timeline_earlier where recorded_at >= bound;
    execute format('alter table crm_timeline attach partition crm_timeline_earlier for values from (minvalue) to (%L)', bound);
end $$;

-- Autovacuum analyzes the partitions, never the partitioned table: plans over the whole timeline
-- (reports, backfills) start from these figures.
analyze crm_timeline;
