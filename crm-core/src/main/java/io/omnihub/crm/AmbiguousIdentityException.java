package io.omnihub.crm;

import java.util.List;

/** An identity looked up without a namespace exists in several namespaces: the caller must name one. */
public class AmbiguousIdentityException extends RuntimeException {
    private final List<String> namespaces;

    public AmbiguousIdentityException(String type, List<String> namespaces) {
        super("the " + type + " exists in several namespaces (" + String.join(", ", namespaces) + "): give the namespace");
        this.namespaces = List.copyOf(namespaces);
    }

    /** The namespaces that have the value. */
    public List<String> namespaces() {
        return namespaces;
    }
}
