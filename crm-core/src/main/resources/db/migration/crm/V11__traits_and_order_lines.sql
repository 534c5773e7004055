-- Order lines as the channel reported them, replaced when a later event of the order carries lines
-- (an event without lines leaves them as they are). Keyed like crm_order; they follow the order on
-- merges because they hang off the order, not the customer.
create table crm_order_line (
    source           text        not null,
    order_id         text        not null,
    line_no          int         not null,
    sku              text,
    name             text,
    category         text,
    quantity         bigint      not null,
    unit_price_minor bigint      not null,
    event_at         timestamptz not null,
    primary key (source, order_id, line_no)
);
create index crm_order_line_category_idx on crm_order_line (category) where category is not null;

-- Windowed traits: per customer and trait, one counter per time bucket (an hour for windows up to
-- 7 days, a day beyond). A trait's value is the sum of the buckets inside its window; buckets that
-- fell out of the window are pruned when the customer's next event is counted.
create table crm_trait_count (
    customer_id uuid        not null,
    trait       text        not null,
    bucket      timestamptz not null,
    value       bigint      not null,
    primary key (customer_id, trait, bucket)
);

-- Which version (fingerprint) of each trait the counters were rebuilt from the timeline for.
create table crm_trait_state (
    trait         text        primary key,
    fingerprint   text        not null,
    backfilled_at timestamptz not null,
    customers     bigint      not null
);

-- Profiles whose counters are to be recounted from their timeline (an unmerge took events away).
create table crm_trait_recount (
    customer_id uuid        primary key,
    marked_at   timestamptz not null
);
