package io.omnihub.hub.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop load generator for WeChat pushes, run in a process of its own so the hub's heap and
 * CPU figures are the hub's alone.
 *
 * <p>Request {@code n} is due at {@code start + n / rate}, whatever happened to the requests before
 * it: arrivals do not slow down when the server does. Its latency is measured from that intended
 * time, not from when a connection was free to send it, so a stalled server shows in the figures
 * instead of hiding behind fewer requests (no coordinated omission). Requests go over a fixed pool
 * of keep-alive HTTP/1.1 connections, each a thread with a blocking socket; a request whose time
 * has come waits for a free connection, and that wait counts in its latency. (wrk is closed loop;
 * the JDK HttpClient costs several times the CPU per request of a raw socket, on a machine whose
 * cores the hub needs.)
 *
 * <p>Before the measured phase the generator runs five seconds against a stub in its own JVM, so its
 * own code is compiled before the first push to the hub is timed.
 *
 * <p>Arguments: {@code port path rate seconds connections users firstMsgId}. Prints progress every
 * ten seconds and one {@code RESULT key=value ...} line at the end.
 */
public final class OpenLoopLoad {

    private static final long MAX_LATENCY_NANOS = 3_600_000_000_000L;

    /** How long, and how fast, the generator runs against a stub of its own before the measured phase. */
    private static final int WARM_UP_SECONDS = 5;
    private static final double WARM_UP_RATE = 5_000;
    private static final int WARM_UP_CONNECTIONS = 32;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        int users = Integer.parseInt(args[5]);
        long firstMsgId = Long.parseLong(args[6]);

        // A fresh JVM runs its first requests interpreted while its compiler threads take the
        // cores the hub needs: that second would count as the hub's latency. So the generator's
        // own code is compiled first, against a stub in this JVM; the hub sees nothing of it.
        try (Stub stub = Stub.start()) {
            Phase warmUp = new Phase(stub.port(), path, WARM_UP_RATE, WARM_UP_SECONDS, users, 0);
            for (Thread thread : warmUp.start(WARM_UP_CONNECTIONS)) {
                thread.join();
            }
            System.out.printf(Locale.ROOT, "warm-up against a stub: %d answered, %d failed%n", warmUp.ok.get(),
                    warmUp.non2xx.get() + warmUp.errors.get());
        }

        Phase burst = new Phase(port, path, rate, seconds, users, firstMsgId);
        List<Thread> threads = burst.start(connections);
        Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
        Histogram window = null;
        long nextReport = burst.start + 10_000_000_000L;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(200);
            if (System.nanoTime() >= nextReport) {
                window = burst.interval.getIntervalHistogram(window);
                all.add(window);
                System.out.printf(Locale.ROOT, "t=%3ds sent=%d ok=%d non2xx=%d errors=%d window p99=%.1f ms max=%.1f ms%n",
                        (System.nanoTime() - burst.start) / 1_000_000_000L, Math.min(burst.total, burst.tickets.get()),
                        burst.ok.get(), burst.non2xx.get(), burst.errors.get(), window.getValueAtPercentile(99) / 1e6,
                        window.getMaxValue() / 1e6);
                nextReport += 10_000_000_000L;
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - burst.start) / 1e9;
        all.add(burst.interval.getIntervalHistogram());
        System.out.printf(Locale.ROOT, "RESULT sent=%d ok=%d non2xx=%d errors=%d seconds=%.2f "
                        + "p50=%.2f p99=%.2f p999=%.2f max=%.2f maxLagMs=%.1f%n",
                burst.total, burst.ok.get(), burst.non2xx.get(), burst.errors.get(), elapsed,
                all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
                all.getValueAtPercentile(99.9) / 1e6, all.getMaxValue() / 1e6, burst.maxLag.get() / 1e6);
        System.exit(0);
    }

    /** One open-loop run: push {@code n} due at {@code start + n / rate}, over a pool of connections. */
    private static final class Phase {
        final long total;
        final AtomicLong tickets = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong non2xx = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong maxLag = new AtomicLong();
        final Recorder interval = new Recorder(MAX_LATENCY_NANOS, 3);
        private final int port;
        private final String head;
        private final double periodNanos;
        private final int users;
        private final long firstMsgId;
        long start;

        Phase(int port, String path, double rate, int seconds, int users, long firstMsgId) {
            this.port = port;
            this.head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: text/xml\r\nContent-Length: ";
            this.total = (long) (rate * seconds);
            this.periodNanos = 1e9 / rate;
            this.users = users;
            this.firstMsgId = firstMsgId;
        }

        /** Starts the senders, the first push due in 200 ms; returns their threads. */
        List<Thread> start(int connections) {
            start = System.nanoTime() + 200_000_000L;
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Thread thread = new Thread(this::send, "open-loop-" + c);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            return threads;
        }

        private void send() {
            Connection connection = null;
            long n;
            while ((n = tickets.getAndIncrement()) < total) {
                long intended = start + (long) (n * periodNanos);
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                maxLag.accumulateAndGet(-wait, Math::max);
                byte[] body = WebhookLoadBenchmark.textMessage(n % users, firstMsgId + n).getBytes(StandardCharsets.UTF_8);
                byte[] request = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                int status;
                try {
                    if (connection == null) {
                        connection = new Connection(port);
                    }
                    status = connection.exchange(request, body);
                    if (connection.closedByServer) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    status = -1;
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
                interval.recordValue(Math.min(MAX_LATENCY_NANOS, System.nanoTime() - intended));
                if (status >= 200 && status < 300) {
                    ok.incrementAndGet();
                } else if (status > 0) {
                    non2xx.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            }
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Answers every request on this JVM's loopback with WeChat's {@code success}, for the warm-up. */
    private static final class Stub implements AutoCloseable {
        private static final byte[] SUCCESS = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsuccess"
                .getBytes(StandardCharsets.US_ASCII);
        private final ServerSocket server;

        private Stub(ServerSocket server) {
            this.server = server;
        }

        static Stub start() throws IOException {
            Stub stub = new Stub(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(stub::accept, "stub-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            return stub;
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread answering = new Thread(() -> answer(socket), "stub-connection");
                    answering.setDaemon(true);
                    answering.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void answer(Socket socket) {
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                OutputStream out = socket.getOutputStream();
                while (true) {
                    long length = 0;
                    String header;
                    while (!(header = line(in)).isEmpty()) {
                        if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                            length = Long.parseLong(header.substring(15).trim());
                        }
                    }
                    in.skipNBytes(length);
                    out.write(SUCCESS);
                    out.flush();
                }
            } catch (IOException | RuntimeException gone) {
                // the warm-up is over, or its sender closed the connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads its response whole. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        boolean closedByServer;

        Connection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }

        int exchange(byte[] head, byte[] body) throws IOException {
            byte[] request = new byte[head.length + body.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            String header;
            while (!(header = line()).isEmpty()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closedByServer = true;
                }
            }
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0) {
                closedByServer = true; // body until close: read it and drop the connection
                while (in.read() >= 0) {
                    // drain
                }
            }
            return status;
        }

        private String line() throws IOException {
            return OpenLoopLoad.line(in);
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** One line of an HTTP head, without its CR LF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
