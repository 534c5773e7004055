-- When the channel accepted an action (status 'sent'): the touch time attribution reports read.
-- updated_at moves on with later receipts; created_at is when it was planned, before quiet hours
-- or a retry held it back. Actions sent before this column existed take their last update.
alter table crm_action add column sent_at timestamptz;
update crm_action set sent_at = updated_at where status = 'sent';
-- attribution reads sent journey actions by time
create index crm_action_sent_idx on crm_action (sent_at) where status = 'sent';
