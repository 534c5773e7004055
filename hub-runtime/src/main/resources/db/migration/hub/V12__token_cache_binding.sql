-- Cached channel tokens are bound to the configuration they were fetched with: an entry is only
-- returned to an instance whose configuration (address, credentials) has the same keyed fingerprint,
-- so an instance moved to another host is never handed the real channel's token. Values are sealed
-- (AES-GCM) from now on: the plaintext entries cached so far go; channels hand out fresh tokens.
DELETE FROM hub_token_cache;
ALTER TABLE hub_token_cache ADD COLUMN binding TEXT NOT NULL DEFAULT '';
