package io.omnihub.connectors.tmall;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest. It holds no state: the hub finds
 * {@link TmallConnector} through the extension index and opens instances itself.
 */
public class TmallPlugin extends Plugin {
}
