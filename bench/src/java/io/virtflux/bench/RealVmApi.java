package io.virtflux.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * The service's side of a real-VM step: submit a request, then wait for the operation's terminal
 * event on the shared {@link OperationWatch}, timed by the client from before the request is sent
 * to the event's arrival.
 */
final class RealVmApi {

  /**
   * A succeeded operation as the client saw it.
   *
   * @param startNanos before the request was sent (System.nanoTime)
   * @param acceptedNanos when the 202 arrived
   * @param endNanos when the SUCCEEDED event arrived
   * @param startWall the wall clock at startNanos, to compare with the operation's own timestamps
   *     (the service runs on this machine, on the same clock)
   * @param json the operation as the terminal event carried it
   * @param libvirt the libvirt calls the service counted meanwhile
   */
  record Done(
      long startNanos,
      long acceptedNanos,
      long endNanos,
      Instant startWall,
      String json,
      RealVmLibvirtCalls.Totals libvirt) {

    long nanos() {
      return endNanos - startNanos;
    }

    /** The wall-clock instant of a System.nanoTime taken during this operation, in epoch ns. */
    long wallNanos(long nanoTime) {
      return startWall.getEpochSecond() * 1_000_000_000L
          + startWall.getNano()
          + (nanoTime - startNanos);
    }
  }

  private final ServiceClient client;
  private final OperationWatch watch;

  RealVmApi(ServiceClient client, OperationWatch watch) {
    this.client = client;
    this.watch = watch;
  }

  /**
   * Sends {@code method path} (with {@code json} as body, or none) and waits for its operation to
   * end; fails unless it answered 202 and succeeded.
   */
  Done run(String method, String path, String json, Duration limit) throws Exception {
    // read outside the timed window, so the scrape costs the operation nothing
    RealVmLibvirtCalls.Totals before = RealVmLibvirtCalls.read(client);
    Instant wall = Instant.now();
    long start = System.nanoTime();
    ServiceClient.Response response =
        switch (method) {
          case "POST" -> client.post(path, json).block();
          case "DELETE" -> client.delete(path).block();
          default -> throw new IllegalArgumentException(method);
        };
    long accepted = System.nanoTime();
    if (response == null || response.status() != 202) {
      throw new IllegalStateException(method + " " + path + " answered " + response);
    }
    OperationWatch.Terminal terminal = watch.await(response.id(), limit);
    watch.forget(response.id());
    if (!terminal.succeeded()) {
      throw new IllegalStateException(method + " " + path + " did not succeed: " + terminal.json());
    }
    RealVmLibvirtCalls.Totals calls = RealVmLibvirtCalls.read(client).minus(before);
    return new Done(start, accepted, terminal.arrivedNanos(), wall, terminal.json(), calls);
  }

  /** The domain XML the service would define for this deploy request ({@code /vms:render}). */
  String render(String deployBody) {
    ServiceClient.Response response = client.post("/api/v1/vms:render", deployBody).block();
    if (response == null || response.status() != 200) {
      throw new IllegalStateException("render answered " + response);
    }
    return response.body();
  }
}
