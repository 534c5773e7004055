package io.omnihub.hub.api;

import io.omnihub.crm.automation.DefinitionException;
import io.omnihub.crm.automation.DefinitionFolder;
import io.omnihub.crm.automation.DefinitionParser;
import io.omnihub.crm.automation.DefinitionStore;
import io.omnihub.crm.automation.Location;
import io.omnihub.hub.automation.DefinitionFolderWatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Writing and deleting rules, segments and journeys over the API: checked against everything in
 * force first (a refused definition changes nothing), stored in PostgreSQL for every node, and in
 * force on this node at once (on the others at their next look at the definitions).
 */
@Component
class DefinitionEditing {

    static final String YAML_TYPES = "application/yaml";

    private final DefinitionFolderWatch watch;
    private final DefinitionStore store;

    DefinitionEditing(DefinitionFolderWatch watch, DefinitionStore store) {
        this.watch = watch;
        this.store = store;
    }

    DefinitionFolder folder() {
        return watch.folder();
    }

    void put(DefinitionParser.Kind kind, String id, byte[] body, Principal who) {
        String source = new String(body, StandardCharsets.UTF_8);
        try {
            folder().check(kind, id, source);
        } catch (DefinitionException e) {
            throw invalid(e);
        } catch (IllegalStateException e) {
            throw ApiProblems.conflict(e.getMessage());
        }
        store.put(kind, id, source, who == null ? null : who.getName());
        folder().reload();
    }

    void delete(DefinitionParser.Kind kind, String id) {
        folder().fileDefining(kind, id).ifPresent(file -> {
            throw ApiProblems.conflict(kind.singular() + " '" + id + "' is defined in file " + file + "; remove it there");
        });
        try {
            folder().checkRemoval(kind, id);
        } catch (DefinitionException e) {
            throw ApiProblems.conflict("'" + id + "' cannot be removed: " + e.problem());
        }
        if (!store.delete(kind, id)) {
            throw ApiProblems.notFound("no " + kind.singular() + " '" + id + "' written over the API");
        }
        folder().reload();
    }

    /**
     * A definition's YAML as written.
     *
     * @param kind     rule, segment or journey
     * @param id       its id
     * @param source   where it is written: {@code api:<kind>/<id>} or a file of the definitions folder
     * @param line     the line of the file where it starts (1 for one written over the API)
     * @param editable whether the API may change it (written over the API) or only its file
     * @param yaml     the definition as written over the API, or the whole file that holds it
     */
    record Source(String kind, String id, String source, int line, boolean editable, String yaml) {
    }

    /** Where {@code id} of {@code kind} is written, and its text; the whole file for one a file defines. */
    Source source(DefinitionParser.Kind kind, String id, Location location) {
        for (DefinitionStore.Stored stored : store.all()) {
            if (stored.kind() == kind && stored.id().equals(id)) {
                return new Source(kind.singular(), id, "api:" + kind.plural() + "/" + id, 1, true, stored.source());
            }
        }
        String file = folder().fileDefining(kind, id)
                .orElseThrow(() -> ApiProblems.notFound("no " + kind.singular() + " '" + id + "' is in force"));
        try {
            return new Source(kind.singular(), id, file, location == null ? 0 : location.line(), false,
                    Files.readString(folder().dir().resolve(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ApiProblems.conflict(kind.singular() + " '" + id + "' is defined in " + file + ", which cannot be read now: "
                    + e.getMessage());
        }
    }

    static ErrorResponseException invalid(DefinitionException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid definition");
        problem.setProperty("source", e.location().source());
        problem.setProperty("line", e.location().line());
        problem.setProperty("problem", e.problem());
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
