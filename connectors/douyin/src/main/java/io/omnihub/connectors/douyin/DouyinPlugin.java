package io.omnihub.connectors.douyin;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest. It holds no state: the hub finds
 * {@link DouyinConnector} through the extension index and opens instances itself.
 */
public class DouyinPlugin extends Plugin {
}
