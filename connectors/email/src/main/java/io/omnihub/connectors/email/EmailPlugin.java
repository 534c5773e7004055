package io.omnihub.connectors.email;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest. It holds no state: the hub finds
 * {@link EmailConnector} through the extension index and opens instances itself.
 */
public class EmailPlugin extends Plugin {
}
