package io.virtflux.lab;

/**
 * One lab host: a libvirtd in its own container on host networking, on its own loopback address,
 * TCP port, host UUID, hostname and migration port range.
 */
public record LabHost(String name, String ip, int port, String uuid, int migrationPortMin) {

  public String uri() {
    return "qemu+tcp://" + ip + ":" + port + "/system";
  }

  public int migrationPortMax() {
    return migrationPortMin + 19;
  }
}
