package io.omnihub.connectors.pos;

import io.omnihub.connector.CheckResult;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.Poller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One folder of CSV exports ({@code source: csv-folder}): a poller and a normalizer. */
final class CsvFolderInstance implements ConnectorInstance {

    private final CsvFolderConfig config;
    private final CsvFolderPoller poller;
    private final CsvTicketNormalizer normalizer;

    CsvFolderInstance(ConnectorContext ctx, CsvFolderConfig config) {
        this.config = config;
        this.poller = new CsvFolderPoller(ctx, config);
        this.normalizer = new CsvTicketNormalizer(ctx, config);
    }

    @Override
    public Optional<Poller> poller() {
        return Optional.of(poller);
    }

    @Override
    public Normalizer normalizer() {
        return normalizer;
    }

    /** The folder exists, the hub may read and write it, and {@code done/} and {@code error/} can be made. */
    @Override
    public CheckResult check() {
        Path folder = config.folder();
        if (!Files.exists(folder)) {
            return CheckResult.failed("the folder " + folder + " does not exist; create it or fix 'folder'");
        }
        if (!Files.isDirectory(folder)) {
            return CheckResult.failed(folder + " is not a folder; fix 'folder'");
        }
        if (!Files.isReadable(folder) || !Files.isWritable(folder)) {
            return CheckResult.failed("the hub may not read and write the folder " + folder
                    + ": it needs both to take files and move them to done/ and error/");
        }
        for (Path sub : new Path[] {config.doneFolder(), config.errorFolder()}) {
            try {
                Files.createDirectories(sub);
            } catch (IOException e) {
                return CheckResult.failed("cannot create " + sub + ": " + e.getMessage());
            }
            if (!Files.isWritable(sub)) {
                return CheckResult.failed("the hub may not write to " + sub);
            }
        }
        return CheckResult.ok("reading *.csv from " + folder + " (" + config.charset().name() + "), finished files go to done/");
    }
}
