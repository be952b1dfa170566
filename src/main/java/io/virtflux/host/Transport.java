package io.virtflux.host;

import java.net.URI;
import java.util.Locale;

/**
 * How the service reaches a host's libvirt, read from the URI's scheme. OpenNebula's KVM driver
 * guide: only TCP (and TLS) connections may carry several actions at once; the unix socket and ssh
 * paths see one at a time.
 */
public enum Transport {
  LOCAL,
  UNIX,
  TCP,
  TLS,
  SSH,
  TEST;

  /**
   * TCP and TLS per OpenNebula's KVM driver guide; libvirt's in-process test driver too, which has
   * no transport to serialise on (load and placement tests rely on it).
   */
  public boolean parallelCapable() {
    return this == TCP || this == TLS || this == TEST;
  }

  /**
   * Parses a libvirt URI ({@code qemu:///system}, {@code qemu+unix:///system?socket=…}, {@code
   * qemu+tcp://h/system}, {@code qemu+ssh://…}, {@code qemu+tls://…}, {@code test:///…}).
   *
   * @throws IllegalArgumentException for anything else (another driver, another transport)
   */
  public static Transport of(String uri) {
    URI parsed;
    try {
      parsed = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URI: " + e.getMessage());
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "qemu" -> parsed.getHost() == null ? LOCAL : TLS; // qemu://host/ defaults to TLS
      case "qemu+unix" -> UNIX;
      case "qemu+tcp" -> TCP;
      case "qemu+tls" -> TLS;
      case "qemu+ssh", "qemu+libssh", "qemu+libssh2" -> SSH;
      case "test" -> TEST;
      default ->
          throw new IllegalArgumentException(
              "unsupported libvirt URI scheme '"
                  + scheme
                  + "': use qemu:///system, qemu+unix, qemu+tcp, qemu+tls, qemu+ssh or test:///");
    };
  }
}
