/** Receiving pushes from a channel: raw request in, reply and raw records out. */
package io.omnihub.connector.webhook;
