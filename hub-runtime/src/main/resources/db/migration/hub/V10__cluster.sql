-- Several hub nodes on one database act as one: what an operator changes on any node reaches every
-- node, console sessions work on every node, and the board sums every node's traffic.

-- One version per kind of shared state ('instances', 'plugins'); a node that changes the state bumps
-- it in the same call, and every node polls the versions and re-reads a kind whose version moved.
CREATE TABLE hub_cluster_version (
    topic   TEXT   PRIMARY KEY,
    version BIGINT NOT NULL
);

-- A restart asked for on one node is carried out on every node: each restart counts one up.
ALTER TABLE hub_instance_state ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;

-- Plugin JARs uploaded over the API, by plugin id, with their SHA-256: every node writes the JAR
-- into its own plugins folder and loads it. JARs dropped into a node's folder by hand stay that node's.
CREATE TABLE hub_plugin_jar (
    plugin_id   TEXT        PRIMARY KEY,
    sha256      TEXT        NOT NULL,
    file_name   TEXT        NOT NULL,
    version     TEXT,
    content     BYTEA       NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    uploaded_by TEXT        NOT NULL
);

-- What operators made of a plugin (started, stopped, disabled), and a count of reloads, for every node.
CREATE TABLE hub_plugin_state (
    plugin_id  TEXT        PRIMARY KEY,
    desired    TEXT        NOT NULL CHECK (desired IN ('STARTED', 'STOPPED', 'DISABLED')),
    generation BIGINT      NOT NULL DEFAULT 0,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT        NOT NULL
);

-- The nodes of the cluster: each writes its heartbeat; one without a recent heartbeat is gone.
CREATE TABLE hub_node (
    node_id      TEXT        PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL
);

-- Each node's last minute per connector instance, for the board's cluster-wide figures.
-- latency_buckets: events applied per receipt-to-applied latency bucket (see metrics.LatencyBuckets).
CREATE TABLE hub_node_activity (
    node_id         TEXT     NOT NULL REFERENCES hub_node (node_id) ON DELETE CASCADE,
    connector       TEXT     NOT NULL,
    instance        TEXT     NOT NULL,
    state           TEXT,
    handled         BIGINT   NOT NULL,
    failed          BIGINT   NOT NULL,
    applied         BIGINT   NOT NULL,
    latency_buckets BIGINT[] NOT NULL,
    last_error      TEXT,
    last_error_at   TIMESTAMPTZ,
    PRIMARY KEY (node_id, connector, instance)
);

-- Console sessions (Spring Session JDBC, its PostgreSQL schema under the hub's table name).
CREATE TABLE hub_http_session (
    primary_id            CHAR(36)     NOT NULL,
    session_id            CHAR(36)     NOT NULL,
    creation_time         BIGINT       NOT NULL,
    last_access_time      BIGINT       NOT NULL,
    max_inactive_interval INT          NOT NULL,
    expiry_time           BIGINT       NOT NULL,
    principal_name        VARCHAR(100),
    CONSTRAINT hub_http_session_pk PRIMARY KEY (primary_id)
);
CREATE UNIQUE INDEX hub_http_session_ix1 ON hub_http_session (session_id);
CREATE INDEX hub_http_session_ix2 ON hub_http_session (expiry_time);
CREATE INDEX hub_http_session_ix3 ON hub_http_session (principal_name);

CREATE TABLE hub_http_session_attributes (
    session_primary_id CHAR(36)     NOT NULL,
    attribute_name     VARCHAR(200) NOT NULL,
    attribute_bytes    BYTEA        NOT NULL,
    CONSTRAINT hub_http_session_attributes_pk PRIMARY KEY (session_primary_id, attribute_name),
    CONSTRAINT hub_http_session_attributes_fk FOREIGN KEY (session_primary_id)
        REFERENCES hub_http_session (primary_id) ON DELETE CASCADE
);
