-- Tokens and small lookups connectors share across hub nodes (connector-api TokenCache),
-- one namespace per connector instance.
create table hub_token_cache (
    connector_id text        not null,
    instance_id  text        not null,
    cache_key    text        not null,
    value        text        not null,
    expires_at   timestamptz not null,
    updated_at   timestamptz not null,
    primary key (connector_id, instance_id, cache_key)
);
