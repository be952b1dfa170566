package io.virtflux.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A "host" on loopback that accepts TCP connections and never sends a byte: what a blackholed
 * libvirtd looks like to a client (a frozen daemon's kernel accepts the same way). Closing it
 * closes every connection it accepted.
 */
public final class SilentListener implements AutoCloseable {

  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  public SilentListener() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "silent-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        accepted.add(socket.accept()); // and never a byte back
      } catch (IOException closed) {
        return;
      }
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** A libvirt URI that reaches this listener. */
  public String uri() {
    return "qemu+tcp://127.0.0.1:" + port() + "/system";
  }

  /** How many connections it accepted so far. */
  public int accepted() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
