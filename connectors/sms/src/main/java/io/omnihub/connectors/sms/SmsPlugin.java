package io.omnihub.connectors.sms;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest. It holds no state: the hub finds
 * {@link SmsConnector} through the extension index and opens instances itself.
 */
public class SmsPlugin extends Plugin {
}
