package io.virtflux.host;

import io.virtflux.api.Problems;
import io.virtflux.libvirt.LibvirtCredentials;
import io.virtflux.operation.HostAdmission;
import io.virtflux.operation.HostDirectory;
import io.virtflux.operation.HostEvent;
import io.virtflux.operation.LaneLimits;
import io.virtflux.operation.ObservedEvents;
import io.virtflux.operation.OperationKind;
import io.virtflux.pci.PciFilter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/** The hosts the service knows: from configuration at start-up, and registered through the API. */
@Component
public class HostRegistry implements LaneLimits, HostAdmission, HostDirectory {

  private static final Logger log = LoggerFactory.getLogger(HostRegistry.class);

  private final Map<String, Host> hosts = new ConcurrentHashMap<>();
  private final HostsProperties properties;
  private final @Nullable ObservedEvents events;
  private final LibvirtCredentials credentials;

  /** A registry whose state changes go nowhere (tests of pure logic). */
  public HostRegistry(HostsProperties properties) {
    this(properties, null);
  }

  /** A registry without credential files (libvirt's defaults). */
  public HostRegistry(HostsProperties properties, @Nullable ObservedEvents events) {
    this(properties, events, LibvirtCredentials.none());
  }

  /**
   * A registry that puts every state change of a host on the event stream and connects with the
   * configured credential files.
   */
  @Autowired
  public HostRegistry(
      HostsProperties properties, @Nullable ObservedEvents events, LibvirtCredentials credentials) {
    this.properties = properties;
    this.events = events;
    this.credentials = credentials;
    properties.hosts().forEach(this::add);
  }

  /**
   * Adds a host.
   *
   * @throws ErrorResponseException 409 when the name is taken, 400 when the URI is not usable
   */
  public synchronized Host add(HostConfig config) {
    Host host = prepare(config);
    String libvirt = libvirtIdentity(host);
    if (libvirt != null) {
      for (Host other : hosts.values()) {
        if (libvirt.equals(libvirtIdentity(other)) && !other.name().equals(config.name())) {
          // two names for one libvirtd: its VMs would show on both, and two lanes would let it
          // run twice the actions it may
          throw problem(
              HttpStatus.CONFLICT,
              "Host exists",
              "the libvirt at "
                  + config.uri()
                  + " is already registered as '"
                  + other.name()
                  + "'");
        }
      }
    }
    if (hosts.putIfAbsent(config.name(), host) != null) {
      throw taken(config.name());
    }
    return host;
  }

  /**
   * What identifies the libvirtd a host's URI reaches: scheme, host, port (libvirt's default when
   * absent), path and query. Null for libvirt's test driver, where every connection has a private
   * state of its own, so any number of hosts may share one URI.
   */
  static @Nullable String libvirtIdentity(Host host) {
    if (host.transport() == Transport.TEST) {
      return null;
    }
    URI uri = URI.create(host.config().uri());
    int port = uri.getPort();
    if (port < 0) {
      port =
          switch (host.transport()) {
            case TCP -> 16509;
            case TLS -> 16514;
            case SSH -> 22;
            default -> -1;
          };
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    return String.join(
        "|",
        uri.getScheme().toLowerCase(Locale.ROOT),
        uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT),
        String.valueOf(port),
        path,
        uri.getQuery() == null ? "" : uri.getQuery());
  }

  /**
   * The host this config describes, not yet added: checks the URI and datastores.
   *
   * @throws ErrorResponseException 400 when the URI or a datastore is not usable
   */
  Host prepare(HostConfig config) {
    Transport transport;
    try {
      transport = Transport.of(config.uri());
      UriParameters.check(transport, config.uri());
    } catch (IllegalArgumentException e) {
      throw Problems.invalidField("Unusable libvirt URI", "uri", String.valueOf(e.getMessage()));
    }
    if (config.pciFilter() != null) {
      try {
        PciFilter.parse(config.pciFilter());
      } catch (IllegalArgumentException e) {
        throw Problems.invalidField("Bad PCI filter", "pciFilter", String.valueOf(e.getMessage()));
      }
    }
    if (config.reservedMemoryMiB() != null && config.reservedMemoryMiB() < 0) {
      // the API's body is validated already; a configured host is checked only here
      throw Problems.invalidField(
          "Bad reserved memory", "reservedMemoryMiB", "must be greater than or equal to 0");
    }
    List<Path> datastores =
        config.datastoresOr(properties.datastores()).stream().map(HostRegistry::datastore).toList();
    return Host.unprobed(config, transport, credentials.connectUri(config.uri()), datastores);
  }

  static ErrorResponseException taken(String name) {
    return problem(HttpStatus.CONFLICT, "Host exists", "a host named '" + name + "' exists");
  }

  private static Path datastore(String dir) {
    Path p;
    try {
      p = Path.of(dir);
    } catch (java.nio.file.InvalidPathException e) {
      // a NUL character, say: a 400 naming the field, not a 500
      throw Problems.invalidField("Bad datastore", "datastores", "'" + dir + "' is not a path");
    }
    if (!p.isAbsolute()) {
      throw Problems.invalidField("Bad datastore", "datastores", "'" + dir + "' is not absolute");
    }
    return p.normalize();
  }

  public Optional<Host> find(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /**
   * @throws ErrorResponseException 404 when there is no such host
   */
  public Host require(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw problem(HttpStatus.NOT_FOUND, "Unknown host", "no host named '" + name + "'");
    }
    return h;
  }

  public List<Host> all() {
    return hosts.values().stream().sorted(Comparator.comparing(Host::name)).toList();
  }

  /** Removes the host; its operations are the caller's concern. */
  Optional<Host> remove(String name) {
    return Optional.ofNullable(hosts.remove(name));
  }

  void update(String name, UnaryOperator<Host> change) {
    Host[] before = new Host[1];
    Host after =
        hosts.computeIfPresent(
            name,
            (n, h) -> {
              before[0] = h;
              return change.apply(h);
            });
    if (after != null && before[0] != null && before[0].state() != after.state()) {
      announce(after);
    }
  }

  /** Journals and streams the host's new state ({@code event: host}); never fails the caller. */
  private void announce(Host host) {
    if (events == null) {
      return;
    }
    events
        .record(new HostEvent(host.name(), host.state().name(), host.reason(), Instant.now()))
        .subscribe(
            null,
            e -> log.warn("state change of host {} not journaled: {}", host.name(), e.toString()));
  }

  @Override
  public List<String> hostNames() {
    return List.copyOf(hosts.keySet());
  }

  /** A disabled host takes no new operations but a sync, which only reads it. */
  @Override
  public Optional<String> refusal(String host, OperationKind kind) {
    return find(host)
        .filter(Host::disabled)
        .filter(h -> kind != OperationKind.HOST_SYNC)
        .map(h -> "host '" + host + "' is disabled by an admin: it accepts no new operations");
  }

  @Override
  public int maxRunning(String host) {
    return find(host).map(Host::laneLimit).orElse(1);
  }

  @Override
  public int maxDeploys(String host) {
    return Math.max(1, properties.maxDeploysPerHost());
  }

  private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
    return Problems.of(status, title, detail);
  }
}
