package ${package};

import org.pf4j.Plugin;

/**
 * The PF4J plugin class named in the JAR manifest ({@code Plugin-Class}). It holds no state: the hub
 * finds {@link ${className}Connector} through the extension index and opens instances itself.
 */
public class ${className}Plugin extends Plugin {
}
