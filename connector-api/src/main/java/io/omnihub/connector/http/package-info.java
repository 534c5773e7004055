/** The HTTP client connectors call their channel with; the hub adds resilience and metrics. */
package io.omnihub.connector.http;
