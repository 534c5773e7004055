-- Graded evidence, shared identifiers and explainable merges (crm-core/README.md, "Linking rules").

-- How the owner holds an identifier: the strongest evidence seen for it on this profile
-- (verified, stated, noted, delivery); null when no event said (treated as strong, as before grades).
alter table crm_identity add column evidence text;
-- For an identifier held on weak evidence: on how many distinct orders the owner saw it (the last
-- one's id tells a new order from another event of the same one). Two orders corroborate it.
alter table crm_identity add column weak_orders int not null default 0;
alter table crm_identity add column last_order text;

-- Unlinked identifiers keep the evidence too, and how often (distinct orders, else events) the
-- profile saw a weak one held by another profile: seen again, it is corroborated and links.
alter table crm_identity_unlinked add column evidence text;
alter table crm_identity_unlinked add column observations int not null default 1;
alter table crm_identity_unlinked add column last_order text;

-- The identifiers each event carried, as [type, namespace, value, evidence] arrays: what explains a
-- merge, and what a split after a shared identifier regroups by. identity.linked events are kept
-- too (hidden from the timeline views).
alter table crm_timeline add column identities jsonb not null default '[]'::jsonb;

-- The identifiers that joined the two profiles of a merge, with their evidence and the side each
-- belonged to: [{type, namespace, value, evidence, side}].
alter table crm_merge_audit add column joined jsonb not null default '[]'::jsonb;
alter table crm_merge_audit add column kind text not null default 'event' check (kind in ('event', 'manual'));
alter table crm_merge_audit add column undone_reason text;
update crm_merge_audit set kind = 'manual' where evidence_event_id is null;

-- Who an identifier of a shareable type (phone, e-mail, device) was seen with: each distinct strong
-- identifier of another type (peer), and each walk-in order at a store that carried nothing else
-- (peer type 'walk_in', namespace the store's source, value the order). Enough distinct peers of one
-- kind and the identifier behaves like a shared one.
create table crm_identifier_peer (
    type           text        not null,
    namespace      text        not null,
    value          text        not null,
    peer_type      text        not null,
    peer_namespace text        not null,
    peer_value     text        not null,
    first_seen_at  timestamptz not null,
    primary key (type, namespace, value, peer_type, peer_namespace, peer_value)
);

-- Identifiers that stopped linking because they behave like shared ones (a store's phone typed in for
-- walk-ins, a family phone, a store tablet). Operators confirm or overrule.
create table crm_shared_identifier (
    type        text        not null,
    namespace   text        not null,
    value       text        not null,
    status      text        not null check (status in ('detected', 'confirmed', 'overruled')),
    reason      text        not null,
    evidence    jsonb       not null,
    detected_at timestamptz not null,
    decided_at  timestamptz,
    decided_by  text,
    note        text,
    primary key (type, namespace, value)
);
create index crm_shared_identifier_status_idx on crm_shared_identifier (status, detected_at desc);

-- A lookup by type and value without a namespace (an openid when the caller does not know the app).
create index crm_identity_type_value_idx on crm_identity (type, value);
-- The merges an identifier joined, when it turns out to be shared.
create index crm_merge_audit_joined_idx on crm_merge_audit using gin (joined jsonb_path_ops) where undone_at is null;
