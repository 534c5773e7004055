-- crm_timeline's unique index on event_id repeated what crm_processed_event's key already
-- guarantees (an event is applied once, in the transaction that records it), and nothing reads the
-- timeline by event id. Every event inserted an entry into it at a random page: at millions of
-- events, a page mostly out of the cache per event.
drop index if exists crm_timeline_event_idx;
