package io.omnihub.connectors.erp;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest. It holds no state: the hub finds
 * {@link ErpConnector} through the extension index and opens instances itself.
 */
public class ErpPlugin extends Plugin {
}
