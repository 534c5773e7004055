package io.omnihub.crm.automation;

/**
 * A definition that cannot be used, with the file, line and problem, e.g.
 * {@code examples/cart.yaml:12: unknown field 'tirgger' in journey 'cart-abandonment'}.
 */
public final class DefinitionException extends RuntimeException {

    private final Location location;
    private final String problem;

    public DefinitionException(Location location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    public Location location() {
        return location;
    }

    /** The problem without the location. */
    public String problem() {
        return problem;
    }
}
