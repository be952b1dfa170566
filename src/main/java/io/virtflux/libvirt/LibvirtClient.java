package io.virtflux.libvirt;

import java.util.Optional;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The libvirt client library this process loaded ({@code libvirt.so.0}, through JNA), and whether
 * it is a version known to crash the process.
 *
 * <p>Why it matters: libvirt's RPC client before 10.4.0 has CVE-2024-4418, a stack use-after-free
 * ({@code virNetClientIOEventLoop} leaves a temporary GSource attached; the next thread that drives
 * the connection dispatches it into a dead stack frame). Threads sharing a connection to a daemon
 * that stalls and then answers crash the JVM. Debian 12's {@code libvirt0} 9.0 carries it; {@code
 * bookworm-backports} has 11.3. The version is the client's own ({@code virGetVersion}), not a
 * daemon's: {@code virConnectGetLibVersion} answers with the daemon's.
 */
@Component
public class LibvirtClient {

  private static final Logger log = LoggerFactory.getLogger(LibvirtClient.class);

  /** The first upstream release with the fix for CVE-2024-4418. */
  static final long FIXED_IN = 10_004_000L;

  private final String version;
  private final Optional<String> warning;

  @Autowired
  LibvirtClient(LibvirtProperties properties) {
    this(loadedVersion(), properties.connectionPerCall());
  }

  LibvirtClient(long loaded, boolean connectionPerCall) {
    this.version = loaded < 0 ? "unavailable" : LibvirtJavaGateway.version(loaded);
    this.warning = warning(loaded, connectionPerCall);
    if (warning.isPresent()) {
      log.warn("libvirt client library {}: {}", version, warning.get());
    } else {
      log.info("libvirt client library {}", version);
    }
  }

  /** The client library's version, {@code major.minor.release}, or "unavailable". */
  public String version() {
    return version;
  }

  /** Why this client is a risk to the process; empty when none is known. */
  public Optional<String> warning() {
    return warning;
  }

  static Optional<String> warning(long loaded, boolean connectionPerCall) {
    if (loaded < 0) {
      return Optional.of("libvirt's client library (libvirt.so.0) could not be loaded");
    }
    if (loaded >= FIXED_IN) {
      return Optional.empty();
    }
    return Optional.of(
        "this client carries CVE-2024-4418 (fixed in libvirt 10.4.0): a libvirtd that stalls"
            + " can crash this process"
            + (connectionPerCall
                ? "; each call has a connection of its own, which avoids the known trigger"
                : "; virtflux.libvirt.connection-per-call is false, which exposes it")
            + ". Install libvirt0 10.4 or later (Debian 12: from bookworm-backports)");
  }

  private static long loadedVersion() {
    try {
      return Library.getVersion();
    } catch (LibvirtException | LinkageError e) {
      log.error("cannot read the libvirt client library's version", e);
      return -1;
    }
  }
}
