-- OmniHub CRM core, schema v1. Every table is prefixed crm_ so the runtime can keep its own
-- tables (and its own Flyway history) in the same schema. See crm-core/README.md.

-- A profile. Merged profiles stay as frozen rows (status 'merged') so a merge can be undone.
-- attributes / consent: {"name": {"v": <value>, "at": "<instant of the statement>", "ev": "<event id>"}}
create table crm_customer (
    id          uuid        primary key,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    status      text        not null default 'active' check (status in ('active', 'merged')),
    attributes  jsonb       not null default '{}'::jsonb,
    consent     jsonb       not null default '{}'::jsonb
);

-- The identity graph: one node per identifier, owned by exactly one active profile.
create table crm_identity (
    type          text        not null,
    namespace     text        not null default '',
    value         text        not null,
    customer_id   uuid        not null references crm_customer (id),
    first_seen_at timestamptz not null,
    last_seen_at  timestamptz not null,
    source        text        not null,
    event_id      text        not null,
    primary key (type, namespace, value)
);
create index crm_identity_customer_idx on crm_identity (customer_id);

-- Identifiers a profile was seen with that were dropped from matching (per-profile limit,
-- declined cross-channel linking, merge blocked, type not linkable). Not unique across profiles.
create table crm_identity_unlinked (
    customer_id   uuid        not null references crm_customer (id),
    type          text        not null,
    namespace     text        not null default '',
    value         text        not null,
    reason        text        not null,
    first_seen_at timestamptz not null,
    last_seen_at  timestamptz not null,
    source        text        not null,
    event_id      text        not null,
    primary key (customer_id, type, namespace, value)
);
create index crm_identity_unlinked_key_idx on crm_identity_unlinked (type, namespace, value);

-- merged id -> surviving id (chains are followed: a survivor may be merged later).
create table crm_customer_alias (
    merged_id      uuid        primary key references crm_customer (id),
    surviving_id   uuid        not null references crm_customer (id),
    merge_audit_id uuid        not null,
    created_at     timestamptz not null
);
create index crm_customer_alias_surviving_idx on crm_customer_alias (surviving_id);

-- Every merge, with the evidence and a snapshot of what moved, so it can be undone.
create table crm_merge_audit (
    id                uuid        primary key,
    surviving_id      uuid        not null,
    merged_id         uuid        not null,
    evidence_event_id text,
    reason            text        not null,
    merged_at         timestamptz not null,
    snapshot          jsonb       not null,
    undone_at         timestamptz
);
create index crm_merge_audit_surviving_idx on crm_merge_audit (surviving_id);
create index crm_merge_audit_merged_idx on crm_merge_audit (merged_id);

-- Pairs of profiles that must not be merged again (written by unmerge, both directions).
create table crm_merge_block (
    customer_id    uuid        not null,
    other_id       uuid        not null,
    created_at     timestamptz not null,
    merge_audit_id uuid,
    primary key (customer_id, other_id)
);

-- One entry per applied event (identity.linked excepted).
create table crm_timeline (
    id          bigint generated always as identity primary key,
    customer_id uuid        not null,
    event_id    text        not null,
    type        text        not null,
    time        timestamptz not null,
    source      text        not null,
    summary     jsonb       not null default '{}'::jsonb,
    recorded_at timestamptz not null
);
create index crm_timeline_customer_idx on crm_timeline (customer_id, time desc, id desc);
create unique index crm_timeline_event_idx on crm_timeline (event_id);

-- Orders keyed by (source, channel order id): status changes update the row, never add one.
create table crm_order (
    source        text        not null,
    order_id      text        not null,
    customer_id   uuid        not null,
    channel       text        not null,
    state         text        not null,
    state_rank    int         not null,
    status        text,
    currency      text        not null,
    total_minor   bigint      not null,
    ordered_at    timestamptz not null,
    last_event_at timestamptz not null,
    last_event_id text        not null,
    updated_at    timestamptz not null,
    primary key (source, order_id)
);
create index crm_order_customer_idx on crm_order (customer_id);

create table crm_tag (
    customer_id    uuid        not null,
    tag            text        not null,
    added_at       timestamptz not null,
    merge_audit_id uuid,
    primary key (customer_id, tag)
);

create table crm_score (
    customer_id uuid   not null,
    name        text   not null,
    value       bigint not null,
    primary key (customer_id, name)
);

-- Exactly-once effect: written in the same transaction as the change.
create table crm_processed_event (
    event_id    text        primary key,
    customer_id uuid,
    applied_at  timestamptz not null
);

-- Takes transaction-scoped advisory locks in the order given (the caller sorts), in one round trip.
create function crm_lock_keys(keys bigint[]) returns void
    language plpgsql as
$$
declare
    k bigint;
begin
    foreach k in array keys
        loop
            perform pg_advisory_xact_lock(k);
        end loop;
end
$$;
