package io.omnihub.crm.automation;

/** The identity a message addresses: its type, namespace (null when it has none) and value. */
record Recipient(String type, String namespace, String value) {
}
