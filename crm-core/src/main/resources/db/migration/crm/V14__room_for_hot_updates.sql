-- Every event of a known customer rewrites its identifiers' rows (last seen, evidence, weak orders)
-- and often its profile's row (attributes, consent), never their indexed columns but on merges. With
-- full pages each such update puts the new row version on another page and adds an entry to every
-- index of the table: at millions of identifiers those are random index pages, mostly out of the
-- cache. Room on each page keeps the updates on the page (heap-only tuples, no index entries).
-- Applies to pages written from now on; VACUUM FULL (or pg_repack) gives existing pages the room.
alter table crm_identity set (fillfactor = 85);
alter table crm_customer set (fillfactor = 85);
