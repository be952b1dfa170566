package io.virtflux.operation.journal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.replicas.*}: several replicas sharing a journal on PostgreSQL (ignored with the
 * embedded H2 journal, which has one replica).
 *
 * @param id this replica's name, unique among the replicas (in Kubernetes: the pod's name). Empty:
 *     the machine's host name and the process id
 * @param heartbeat how often the replica renews its lease and looks for hosts without a live owner
 * @param lease how long a lease lasts without a heartbeat: a replica that stopped renewing it
 *     (dead, paused, cut off from the database) loses its hosts to the others this long after its
 *     last heartbeat, plus one heartbeat at most. It stops acting on them itself a second before
 *     that
 */
@ConfigurationProperties("virtflux.replicas")
public record ReplicaProperties(
    @Nullable String id,
    @DefaultValue("2s") Duration heartbeat,
    @DefaultValue("8s") Duration lease) {

  public ReplicaProperties {
    if (heartbeat.isZero() || heartbeat.isNegative()) {
      throw new IllegalArgumentException("virtflux.replicas.heartbeat must be positive");
    }
    if (lease.compareTo(heartbeat.multipliedBy(2).plusSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "virtflux.replicas.lease must be at least twice the heartbeat plus a second");
    }
  }

  /** The configured id, or host name and process id. */
  String name() {
    if (id != null && !id.isBlank()) {
      return id.strip();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "replica";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
