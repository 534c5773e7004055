/**
 * Hostile-input corpora: files a channel or an attacker could send, each with the outcome a user
 * must see ({@link io.omnihub.testkit.hostile.Outcome}), run through a connector's real handler,
 * normalizer and API client by a parameterized test. {@link io.omnihub.testkit.hostile.HostileCorpus}
 * reads a corpus folder, {@link io.omnihub.testkit.hostile.Observation} classifies what the connector
 * did, {@link io.omnihub.testkit.hostile.HostileChecks} asserts it, within a time limit and without a
 * secret or personal value in any message.
 */
package io.omnihub.testkit.hostile;
