package io.omnihub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A TCP port on this machine that nothing listened on a moment ago: for a process the test starts
 * and must tell its port in advance (a hub, a broker, a database), or for an address where nothing
 * answers (an unreachable channel).
 *
 * <p>Its limit: the operating system picks the port by binding port 0 and the socket is closed at
 * once, so between this check and the bind another process may take the port (or, for an
 * "unreachable" address, start listening on it). The window is short and the operating system
 * hands out ephemeral ports in turn, so a clash is rare, not impossible. Where the server can
 * bind port 0 itself and report the port it got (WireMock's {@code dynamicPort()}, GreenMail's
 * port 0), let it do that instead.
 */
public final class FreePort {

    private FreePort() {
    }

    /** A port that was free when asked. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port to pick", e);
        }
    }
}
