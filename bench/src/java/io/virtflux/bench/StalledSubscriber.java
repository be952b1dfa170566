package io.virtflux.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A subscriber that connects, asks for the event stream and then never reads: its socket buffers
 * fill up and the server can no longer write to it. The producer must not notice.
 */
final class StalledSubscriber implements AutoCloseable {

  private final Socket socket = new Socket();

  StalledSubscriber(int port, String token, String path) throws IOException {
    // a small receive window, so that the stall starts after a few events rather than megabytes
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer "
                + token
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Reads what the server left for it, after the run: whether it was told it overflowed. */
  boolean toldOverflow() throws IOException {
    socket.setSoTimeout(2000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1 << 16];
    StringBuilder tail = new StringBuilder();
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        tail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        if (tail.length() > 8192) {
          tail.delete(0, tail.length() - 8192);
        }
        if (tail.indexOf("event:overflow") >= 0 || tail.indexOf("event: overflow") >= 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException drained) {
      // nothing more came
    }
    return tail.indexOf("overflow") >= 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
