package io.virtflux.host;

import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.HostRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One host: its configuration and what the last probe found. Immutable; the registry swaps whole
 * snapshots so readers never see half an update.
 *
 * @param kvm whether the host's libvirt offers domain type kvm (not just /dev/kvm existing)
 */
public record Host(
    HostConfig config,
    Transport transport,
    List<Path> datastores,
    HostStatus status,
    @Nullable String reason,
    @Nullable HostFacts facts,
    boolean kvm,
    @Nullable Instant probedAt) {

  public String name() {
    return config.name();
  }

  public HostRef ref() {
    return new HostRef(config.name(), config.uri());
  }

  /** The lane limit: 1 unless the transport allows parallel actions and they are enabled. */
  public int laneLimit() {
    return transport.parallelCapable() && config.parallel() ? config.actions() : 1;
  }

  /** The domain type a deploy uses on this host: configured, else kvm when the host offers it. */
  public String domainType() {
    String configured = config.domainTypeOrAuto();
    if (!configured.equals("auto")) {
      return configured;
    }
    return kvm ? "kvm" : "qemu";
  }

  Host probed(HostStatus status, @Nullable String reason, @Nullable HostFacts facts, boolean kvm) {
    return new Host(config, transport, datastores, status, reason, facts, kvm, Instant.now());
  }
}
