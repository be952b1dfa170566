package io.virtflux.host;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.libvirt.VmState;
import io.virtflux.pci.PciDevice;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A host as the API shows it.
 *
 * @param state ONLINE, OFFLINE, ERROR (UNKNOWN until the first probe), or DISABLED by an admin
 * @param reason why the host is not ONLINE
 * @param since when the state last changed
 * @param kvm whether the host's libvirt offers hardware virtualization (domain type kvm)
 * @param domainType the domain type deploys use on this host
 * @param vms domains defined or running on the host at the last probe
 * @param monitoring every domain's state and usage, and the host's free memory, as the monitor last
 *     read them
 * @param pci the host's PCI devices (filtered by its pciFilter) as the last sync read them
 * @param reservedMemoryMiB memory held back for the host, never promised to VMs (configured)
 * @param promisedMemoryMiB memory promised to deploys that are queued or running, or ended after
 *     the host's last reading (which does not count their domains yet); with several replicas,
 *     every replica's deploys, as the journal counts them
 * @param owner with several replicas on a PostgreSQL journal: the replica that runs the host's
 *     operations and calls its libvirt for them, and the epoch of its claim, as this replica saw it
 *     at its last heartbeat; none while no replica owns the host, and with the embedded journal
 *     (one replica)
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
    @Nullable Instant probedAt,
    @Nullable Instant since,
    @Nullable Monitoring monitoring,
    @Nullable List<PciDevice> pci,
    long reservedMemoryMiB,
    long promisedMemoryMiB,
    @Nullable Owner owner) {

  /**
   * A host's owner.
   *
   * @param replica the owner replica's id ({@code virtflux.replicas.id})
   * @param epoch grows with every claim of the host: a replica that owned it before can no longer
   *     write for it
   */
  public record Owner(String replica, long epoch) {}

  /**
   * The monitor's reading.
   *
   * @param at when it was read
   */
  public record Monitoring(Instant at, long freeMemoryMiB, List<VmUsage> vms) {}

  /**
   * One domain as virDomainGetInfo reports it.
   *
   * @param cpuTimeMs CPU time used since it started
   * @param memoryMiB memory it has now
   */
  public record VmUsage(
      String name,
      @Schema(enumAsRef = true) VmState state,
      long cpuTimeMs,
      long memoryMiB,
      long maxMemoryMiB,
      int vcpus) {}

  /** CPU as libvirt's node info reports it. */
  public record Cpu(String model, int count, int mhz) {}

  /**
   * Memory in MiB.
   *
   * @param vmsMiB the maximum memory of every domain on the host at the last reading
   * @param availableMiB what placement can still promise to a deploy: the least of total - reserved
   *     - VMs and free, less what is promised
   */
  public record Memory(long totalMiB, long freeMiB, long vmsMiB, long availableMiB) {}

  /**
   * The host's lane.
   *
   * @param parallel whether the lane admits more than one action (TCP/TLS and enabled)
   */
  public record Lane(int limit, boolean parallel, int running, int queued) {}
}
