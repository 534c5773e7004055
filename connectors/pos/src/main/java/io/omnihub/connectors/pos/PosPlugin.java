package io.omnihub.connectors.pos;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest. It holds no state: the hub finds
 * {@link PosConnector} through the extension index and opens instances itself.
 */
public class PosPlugin extends Plugin {
}
