-- Retention: the daily sweep drops the detail of old timeline entries and the payloads and recipients
-- of old finished actions (see DetailPruner). These indexes hold only the rows still carrying detail,
-- so each sweep finds the few newly expired rows without reading the history it already pruned.
create index crm_timeline_detail_kept_idx on crm_timeline (time) where (summary ->> 'detailDropped') is null;
create index crm_action_payload_kept_idx on crm_action (updated_at)
    where status in ('sent', 'failed', 'suppressed', 'done') and (recipient_value is not null or payload <> '{}'::jsonb);
