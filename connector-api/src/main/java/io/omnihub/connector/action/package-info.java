/** Outbound work a connector performs for the CRM core: messages, writes to the channel. */
package io.omnihub.connector.action;
