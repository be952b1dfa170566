package io.virtflux.libvirt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/**
 * Translates a {@link MigrationSpec} into libvirt's flags and typed parameters, and job stats back.
 */
final class Migrations {

  private Migrations() {}

  static long flags(MigrationSpec spec) {
    long flags = Domain.MigrateFlags.ABORT_ON_ERROR;
    if (spec.live()) {
      flags |= Domain.MigrateFlags.LIVE;
    } else {
      // cold: only the definition moves (libvirt requires it to be persisted on the destination)
      flags |= Domain.MigrateFlags.OFFLINE | Domain.MigrateFlags.PERSIST_DEST;
    }
    if (spec.peerToPeer()) {
      flags |= Domain.MigrateFlags.PEER2PEER;
      if (spec.tunnelled()) {
        flags |= Domain.MigrateFlags.TUNNELED;
      }
    }
    if (spec.persistent()) {
      flags |= Domain.MigrateFlags.PERSIST_DEST | Domain.MigrateFlags.UNDEFINE_SOURCE;
    }
    if (spec.unsafe()) {
      flags |= Domain.MigrateFlags.UNSAFE;
    }
    switch (spec.copyStorage()) {
      case ALL -> flags |= Domain.MigrateFlags.NON_SHARED_DISK;
      case INCREMENTAL -> flags |= Domain.MigrateFlags.NON_SHARED_INC;
      case NONE -> {}
    }
    if (spec.compressed()) {
      flags |= Domain.MigrateFlags.COMPRESSED;
    }
    if (spec.autoConverge()) {
      flags |= Domain.MigrateFlags.AUTO_CONVERGE;
    }
    return flags;
  }

  /**
   * Always at least the destination name: libvirt-java 0.5.4 fails inside JNA on an empty parameter
   * array. {@code destinationXml} is the spec's destination XML, written.
   */
  static TypedParameter[] parameters(
      String vm, MigrationSpec spec, @Nullable String destinationXml) {
    List<TypedParameter> params = new ArrayList<>();
    params.add(
        new TypedStringParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, vm));
    if (spec.bandwidthMiBps() != null) {
      params.add(
          new TypedUlongParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, spec.bandwidthMiBps()));
    }
    if (spec.migrationUri() != null && !spec.tunnelled()) {
      params.add(
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_URI, spec.migrationUri()));
    }
    if (destinationXml != null) {
      params.add(
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_XML, destinationXml));
      if (spec.persistent()) {
        params.add(
            new TypedStringParameter(
                Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_PERSIST_XML, destinationXml));
      }
    }
    return params.toArray(TypedParameter[]::new);
  }

  static MigrationProgress progress(DomainJobStats stats) {
    Map<String, String> values = new HashMap<>();
    if (stats.stats != null) {
      for (TypedParameter p : stats.stats) {
        values.put(p.field, p.getValueAsString());
      }
    }
    return new MigrationProgress(
        stats.type != 0,
        number(values, "time_elapsed"),
        number(values, "data_total"),
        number(values, "data_processed"),
        number(values, "data_remaining"),
        number(values, "memory_iteration"),
        number(values, "downtime"));
  }

  private static @Nullable Long number(Map<String, String> values, String field) {
    String v = values.get(field);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
