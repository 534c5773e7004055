package io.omnihub.hub.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small secret kept in a file only its owner may read ({@code rw-------}): the sealing key, the
 * generated admin password, the embedded PostgreSQL's password. Created with those permissions,
 * never briefly readable by others; an existing file that others may read is tightened, with a warning.
 */
public final class OwnerOnlyFile {

    private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    public OwnerOnlyFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    public boolean exists() {
        return Files.isRegularFile(path);
    }

    /** The file's content without surrounding white space; the file must exist. */
    public String read() {
        try {
            tighten();
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    /**
     * The file's content, or {@code create}'s result written to a new file first.
     *
     * @return the content and whether this call created the file
     */
    public Content readOrCreate(Supplier<String> create) {
        if (exists()) {
            return new Content(read(), false);
        }
        String value = create.get();
        try {
            write(value);
            return new Content(value, true);
        } catch (FileAlreadyExistsException e) {
            // Another process created it first: theirs counts.
            return new Content(read(), false);
        }
    }

    /** Creates the file with {@code value}; fails when it exists. */
    public void write(String value) throws FileAlreadyExistsException {
        try {
            Files.createDirectories(path.getParent());
            if (supportsPosix()) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(path);
                path.toFile().setReadable(false, false);
                path.toFile().setWritable(false, false);
                path.toFile().setReadable(true, true);
                path.toFile().setWritable(true, true);
            }
            Files.writeString(path, value + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + path, e);
        }
    }

    private void tighten() throws IOException {
        if (!supportsPosix()) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (!OWNER_ONLY.containsAll(permissions)) {
            log.warn("{} was readable by others ({}): now rw------- (owner only)", path, PosixFilePermissions.toString(permissions));
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        }
    }

    private boolean supportsPosix() {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * @param value   the secret
     * @param created whether it was created just now
     */
    public record Content(String value, boolean created) {
        @Override
        public String toString() {
            return "Content[******, created=" + created + "]";
        }
    }
}
