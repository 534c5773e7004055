-- The last committed checkpoint of each polling connector instance. A row is written only after the
-- batch the checkpoint ends is durable on hub.raw (DESIGN §4).
create table hub_poll_checkpoint (
    connector   text        not null,
    instance    text        not null,
    checkpoint  text        not null,
    updated_at  timestamptz not null,
    primary key (connector, instance)
);
