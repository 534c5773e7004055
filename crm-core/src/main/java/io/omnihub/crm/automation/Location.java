package io.omnihub.crm.automation;

/**
 * Where something in a definition was written.
 *
 * @param source the file (relative to the definitions folder) or {@code api:<kind>/<id>}
 * @param line   1-based line, 0 when unknown
 */
public record Location(String source, int line) {

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line : source;
    }
}
