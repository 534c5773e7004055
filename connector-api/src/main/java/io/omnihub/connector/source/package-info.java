/** What channels deliver, before normalization: raw records, and the polling contract. */
package io.omnihub.connector.source;
