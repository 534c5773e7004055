-- A timer whose firing fails (the database refuses, a race that outlasts its retries) is tried
-- again later with a backoff instead of blocking the timers after it; after a few attempts it is
-- set aside (fired_at set, outcome 'failed: ...'). last_error holds the SQL state and the
-- exception's class only: PostgreSQL's error details quote the offending values.
alter table crm_timer add column attempts int not null default 0;
alter table crm_timer add column last_error text;
