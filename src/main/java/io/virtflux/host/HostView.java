package io.virtflux.host;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A host as the API shows it.
 *
 * @param state ONLINE, OFFLINE or ERROR (UNKNOWN until the first probe)
 * @param reason why the host is not ONLINE
 * @param kvm whether the host's libvirt offers hardware virtualization (domain type kvm)
 * @param domainType the domain type deploys use on this host
 * @param vms domains defined or running on the host at the last probe
 */
public record HostView(
    String name,
    String uri,
    Transport transport,
    HostStatus state,
    @Nullable String reason,
    @Nullable String hostname,
    @Nullable String hypervisor,
    @Nullable String hypervisorVersion,
    @Nullable String libvirtVersion,
    @Nullable Cpu cpu,
    @Nullable Memory memory,
    boolean kvm,
    String domainType,
    @Nullable Integer vms,
    List<String> datastores,
    Lane lane,
    @Nullable Instant probedAt) {

  /** CPU as libvirt's node info reports it. */
  public record Cpu(String model, int count, int mhz) {}

  /** Memory in MiB. */
  public record Memory(long totalMiB, long freeMiB) {}

  /**
   * The host's lane.
   *
   * @param parallel whether the lane admits more than one action (TCP/TLS and enabled)
   */
  public record Lane(int limit, boolean parallel, int running, int queued) {}
}
