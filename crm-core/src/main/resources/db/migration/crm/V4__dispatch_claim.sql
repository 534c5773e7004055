-- The dispatcher claims an action before it hands it to the channel ('sending', claimed_at), so two
-- copies of one action on hub.actions never both send it. An action found 'sending' long after its
-- claim (the hub stopped between the channel's answer and recording it) is sent again only when its
-- kind carries the action id to the channel as an idempotency key; otherwise it becomes 'unknown'
-- for an operator to check, rather than being sent twice.
alter table crm_action drop constraint crm_action_status_check;
alter table crm_action add constraint crm_action_status_check
    check (status in ('planned', 'queued', 'retrying', 'sending', 'sent', 'failed', 'suppressed', 'done', 'unknown'));
alter table crm_action add column claimed_at timestamptz;
