-- Erasure and suppression (docs/privacy.md, "Erasure and suppression").

-- The per-installation key of the suppression hashes (HMAC-SHA256): 32 random bytes made by the
-- first node that needs it (insert ... on conflict do nothing, then read), so every node sharing the
-- database hashes alike. Never shown by any API; a suppression hash means nothing without it.
create table crm_privacy_key (
    id         smallint    primary key check (id = 1),
    hmac_key   bytea       not null check (length(hmac_key) >= 32),
    created_at timestamptz not null
);


-- One erasure: who asked, when, why, and how much of each kind was removed. No personal data:
-- customer ids are random and name nothing once the profiles are gone.
create table crm_erasure (
    id          uuid        primary key,
    customer_id uuid        not null,
    profiles    uuid[]      not null,
    erased_by   text        not null,
    reason      text        not null,
    erased_at   timestamptz not null,
    counts      jsonb       not null default '{}'::jsonb
);
create index crm_erasure_at_idx on crm_erasure (erased_at desc);

-- Identifiers of erased customers, as keyed hashes: an event carrying one is not applied. Lifted
-- rows stay (lifted_at, lifted_by, lift_reason) as the audit of who allowed it again.
create table crm_suppression (
    id              uuid        primary key,
    hash            bytea       not null,
    type            text        not null,
    namespace       text        not null default '',
    erasure_id      uuid        references crm_erasure (id),
    created_at      timestamptz not null,
    hits            bigint      not null default 0,
    last_hit_at     timestamptz,
    lifted_at       timestamptz,
    lifted_by       text,
    lift_reason     text
);
create unique index crm_suppression_active_idx on crm_suppression (hash) where lifted_at is null;
create index crm_suppression_created_idx on crm_suppression (created_at desc);
