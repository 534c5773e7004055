package io.omnihub.hub.demo;

/**
 * Demo mode cannot start: what is wrong, and what the person starting it can do. Reported as the
 * reason the hub did not start ({@link DemoFailureAnalyzer}).
 */
public final class DemoRefusedException extends RuntimeException {

    private final String action;

    public DemoRefusedException(String problem, String action) {
        super("Demo mode refused: " + problem);
        this.action = action;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
