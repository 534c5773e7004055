-- OmniHub CRM core, schema v2: automation (rules, segments, journeys, timers, actions, tasks).
-- See docs/automation.md. Everything a rule or journey does is written in the same transaction as
-- the event that caused it, or the timer that fired it: exactly-once effect.

-- Segment membership, kept current as events arrive.
create table crm_segment_member (
    segment_id  text        not null,
    customer_id uuid        not null,
    joined_at   timestamptz not null,
    primary key (segment_id, customer_id)
);
create index crm_segment_member_customer_idx on crm_segment_member (customer_id);

-- Every version of a journey an enrollment was started on, so a running enrollment finishes on the
-- definition it started with however the journey is edited meanwhile.
create table crm_journey_version (
    journey_id text        not null,
    version    text        not null,
    definition text        not null,
    created_at timestamptz not null,
    primary key (journey_id, version)
);

-- A customer's way through a journey. At most one active enrollment per journey and customer.
create table crm_enrollment (
    id               uuid        primary key,
    journey_id       text        not null,
    version          text        not null,
    customer_id      uuid        not null,
    status           text        not null check (status in ('active', 'completed', 'exited')),
    -- the step it waits in, and for what ('timer' or 'event'); null while not waiting
    step             text,
    waiting          text        check (waiting in ('timer', 'event')),
    -- bumped at every wait: a timer of an earlier wait no longer matches and is discarded
    wait_seq         int         not null default 0,
    trigger_event_id text        not null,
    trigger_event    text        not null,
    started_at       timestamptz not null,
    updated_at       timestamptz not null,
    ended_at         timestamptz,
    end_reason       text
);
create unique index crm_enrollment_active_idx on crm_enrollment (journey_id, customer_id) where status = 'active';
create index crm_enrollment_customer_idx on crm_enrollment (customer_id) where status = 'active';
create index crm_enrollment_journey_idx on crm_enrollment (journey_id, started_at desc);

-- Durable timers: journey waits and task escalations. Claimed with FOR UPDATE SKIP LOCKED by
-- whichever hub node gets there first; fired_at is set in the transaction that acts on it.
create table crm_timer (
    id            bigint generated always as identity primary key,
    due_at        timestamptz not null,
    kind          text        not null check (kind in ('journey', 'task')),
    enrollment_id uuid,
    wait_seq      int,
    task_id       uuid,
    created_at    timestamptz not null,
    fired_at      timestamptz,
    outcome       text
);
create index crm_timer_due_idx on crm_timer (due_at) where fired_at is null;
create index crm_timer_enrollment_idx on crm_timer (enrollment_id);

-- Every action a rule or journey took or planned, with its outcome. The id is the idempotency
-- key: <enrollment>:<step> for journeys, rule:<rule>:<event>:<n> for rules. Actions for a channel
-- wait here (status planned, not before not_before) until the outbox moves them to hub.actions.
create table crm_action (
    id                  text        primary key,
    customer_id         uuid        not null,
    origin              text        not null,
    kind                text        not null,
    connector           text,
    instance            text,
    recipient_type      text,
    recipient_namespace text,
    recipient_value     text,
    payload             jsonb       not null default '{}'::jsonb,
    marketing           boolean     not null default false,
    campaign            text,
    status              text        not null check (status in ('planned', 'queued', 'retrying', 'sent', 'failed', 'suppressed', 'done')),
    reason              text,
    attempts            int         not null default 0,
    channel_reference   text,
    not_before          timestamptz not null,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);
create index crm_action_due_idx on crm_action (not_before) where status = 'planned';
create index crm_action_customer_idx on crm_action (customer_id, created_at desc);
create index crm_action_campaign_idx on crm_action (customer_id, campaign) where campaign is not null;

-- Staff tasks created by rules and journeys; escalated to a manager when not done in time.
create table crm_task (
    id            uuid        primary key,
    action_id     text        not null unique,
    customer_id   uuid        not null,
    title         text        not null,
    note          text,
    assignee      text        not null,
    manager       text,
    store         text,
    region        text,
    lead_source   text,
    origin        text        not null,
    status        text        not null check (status in ('open', 'done')),
    due_at        timestamptz,
    escalate_at   timestamptz,
    escalated_at  timestamptz,
    escalated_from text,
    created_at    timestamptz not null,
    completed_at  timestamptz,
    completed_by  text,
    completion_note text
);
create index crm_task_assignee_idx on crm_task (assignee, status);
create index crm_task_store_idx on crm_task (store, status);
create index crm_task_customer_idx on crm_task (customer_id);

-- Definitions written over the API (files in hub.automation.dir are read from disk): shared by
-- every hub node on this database.
create table crm_automation_definition (
    kind       text        not null check (kind in ('rule', 'segment', 'journey')),
    id         text        not null,
    source     text        not null,
    updated_at timestamptz not null,
    updated_by text,
    primary key (kind, id)
);
