package io.omnihub.hub.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client library will not do: announce a body
 * and not send it, send a body far larger than any limit, trickle bytes, and read the answer while
 * still sending.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** What the server answered, and how much of the body the client managed to send before it did. */
    record Answer(int status, Map<String, String> headers, String body, long bytesSent) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A POST that announces {@code announcedLength} bytes and sends only {@code sent} of them, then
     * waits up to {@code wait} for the answer.
     */
    static Answer postAnnouncing(int port, String pathAndQuery, long announcedLength, byte[] sent, Duration wait) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) wait.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head(pathAndQuery, "Content-Length: " + announcedLength));
            out.write(sent);
            out.flush();
            return read(socket.getInputStream(), sent.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A POST of {@code length} bytes, announced with {@code Content-Length} or sent chunked, streamed
     * from one small buffer until the server answers or closes the connection; then reads the answer.
     */
    static Answer postStreaming(int port, String pathAndQuery, long length, boolean chunked, Duration wait) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) wait.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head(pathAndQuery, chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length));
            byte[] piece = new byte[64 * 1024];
            Arrays.fill(piece, (byte) 'x');
            byte[] chunkSize = (Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < length && in.available() == 0) {
                    int n = (int) Math.min(piece.length, length - sent);
                    if (chunked) {
                        out.write(n == piece.length ? chunkSize : (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(piece, 0, n);
                        out.write(crlf);
                    } else {
                        out.write(piece, 0, n);
                    }
                    sent += n;
                }
                if (chunked && sent >= length) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException closedByServer) {
                // the server stopped reading and closed: its answer may still be waiting to be read
            }
            return read(in, sent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] head(String pathAndQuery, String lengthHeader) {
        return ("POST " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
                + lengthHeader + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Answer read(InputStream in, long bytesSent) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headerEnd = -1;
        int contentLength = -1;
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                raw.write(buffer, 0, n);
                String text = raw.toString(StandardCharsets.ISO_8859_1);
                if (headerEnd < 0) {
                    headerEnd = text.indexOf("\r\n\r\n");
                    if (headerEnd >= 0) {
                        Map<String, String> headers = headers(text.substring(0, headerEnd));
                        contentLength = Integer.parseInt(headers.getOrDefault("content-length", "-1"));
                    }
                }
                if (headerEnd >= 0 && contentLength >= 0 && raw.size() >= headerEnd + 4 + contentLength) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            if (headerEnd < 0) {
                throw new IOException("no answer from the server (" + e.getMessage() + ")", e);
            }
        }
        String text = raw.toString(StandardCharsets.UTF_8);
        if (headerEnd < 0) {
            throw new IOException("no HTTP answer, only: " + text);
        }
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        return new Answer(status, headers(head), text.substring(text.indexOf("\r\n\r\n") + 4), bytesSent);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
