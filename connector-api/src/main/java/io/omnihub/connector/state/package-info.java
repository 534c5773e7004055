/** State the hub keeps for connectors across nodes and restarts. */
package io.omnihub.connector.state;
