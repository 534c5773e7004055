#!/bin/sh
# Starts one broker of the hub's Artemis pair from the Artemis distribution: on the first start it
# makes the broker instance ("artemis create": the hub's user with role hub, core protocol only),
# then puts this folder's configuration in its etc/ and runs it in the foreground (exec: the broker
# is this process, so a container's stop signal reaches it). Used by deploy/compose, the Kubernetes
# StatefulSets and the failover drill.
#
# Environment:
#   ARTEMIS_HOME              the unpacked distribution (org.apache.activemq:apache-artemis:<v>:tar.gz:bin)
#   ARTEMIS_INSTANCE          the broker instance folder; keep it on a persistent volume (journal under data/)
#   OMNIHUB_BROKER_ROLE       primary or backup
#   OMNIHUB_BROKER_USER, OMNIHUB_BROKER_PASSWORD      the hub's login
#   OMNIHUB_CLUSTER_USER, OMNIHUB_CLUSTER_PASSWORD    the pair's own login to each other
#   OMNIHUB_BROKER_ANNOUNCE   host:port the hub and the peer reach this broker at
#   OMNIHUB_BROKER_PEER       host:port of the other broker
#   OMNIHUB_BROKER_BIND (0.0.0.0), OMNIHUB_BROKER_PORT (61616), OMNIHUB_BROKER_MEMORY (1G)
#   OMNIHUB_BROKER_CONFIG     the folder holding this script's primary/, backup/ and hub-*.xml (default: beside it)
set -eu
config="${OMNIHUB_BROKER_CONFIG:-$(cd "$(dirname "$0")" && pwd)}"
role="${OMNIHUB_BROKER_ROLE:?primary or backup}"
: "${ARTEMIS_HOME:?the unpacked Artemis distribution}" "${ARTEMIS_INSTANCE:?the broker instance folder}"
: "${OMNIHUB_BROKER_USER:?}" "${OMNIHUB_BROKER_PASSWORD:?}" "${OMNIHUB_CLUSTER_USER:?}" "${OMNIHUB_CLUSTER_PASSWORD:?}"
: "${OMNIHUB_BROKER_ANNOUNCE:?host:port}" "${OMNIHUB_BROKER_PEER:?host:port}"

if [ ! -x "$ARTEMIS_INSTANCE/bin/artemis" ]; then
  "$ARTEMIS_HOME/bin/artemis" create "$ARTEMIS_INSTANCE" \
    --user "$OMNIHUB_BROKER_USER" --password "$OMNIHUB_BROKER_PASSWORD" --role hub --require-login \
    --no-web --silent --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    --no-autotune --force
fi
cp "$config/$role/broker.xml" "$config/hub-address-settings.xml" "$config/hub-addresses.xml" "$ARTEMIS_INSTANCE/etc/"

JAVA_ARGS_APPEND="-Xms128m -Xmx${OMNIHUB_BROKER_MEMORY:-1G} -Domnihub.broker.name=omnihub-$role \
 -Domnihub.broker.bind=${OMNIHUB_BROKER_BIND:-0.0.0.0} -Domnihub.broker.port=${OMNIHUB_BROKER_PORT:-61616} \
 -Domnihub.broker.announce=$OMNIHUB_BROKER_ANNOUNCE -Domnihub.broker.peer=$OMNIHUB_BROKER_PEER \
 -Domnihub.cluster.user=$OMNIHUB_CLUSTER_USER -Domnihub.cluster.password=$OMNIHUB_CLUSTER_PASSWORD"
export JAVA_ARGS_APPEND
exec "$ARTEMIS_INSTANCE/bin/artemis" run
