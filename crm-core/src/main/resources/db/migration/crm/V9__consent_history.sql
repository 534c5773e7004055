-- Consent by purpose and channel, with its history (crm-core/README.md, "Consent").

-- Every consent statement an event made, kept as made: the current one per key stays in
-- crm_customer.consent ({key: {v, at, ev}}, the most recent winning), these rows are the history.
-- key: crossChannelLinking, analytics, marketing, marketing.<channel>. Moves with its profile on a
-- merge (and back on an unmerge); a profile split off another keeps a copy of the history.
create table crm_consent_statement (
    id          bigint generated always as identity primary key,
    customer_id uuid        not null,
    key         text        not null,
    value       jsonb       not null,
    at          timestamptz not null,
    event_id    text        not null,
    event_type  text        not null,
    source      text        not null,
    recorded_at timestamptz not null
);
create index crm_consent_statement_customer_idx on crm_consent_statement (customer_id, at desc, id desc);

-- A split (a profile that spanned platforms taken apart when its owner withdrew cross-channel
-- linking) is audited as a merge of kind 'split' of the split-off profile, undone at once: its
-- snapshot is what went to the split-off profile.
alter table crm_merge_audit drop constraint crm_merge_audit_kind_check;
alter table crm_merge_audit add constraint crm_merge_audit_kind_check check (kind in ('event', 'manual', 'split'));
