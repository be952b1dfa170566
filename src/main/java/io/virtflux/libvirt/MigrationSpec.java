package io.virtflux.libvirt;

import io.virtflux.libvirt.xml.XmlElement;
import org.jspecify.annotations.Nullable;

/**
 * How to migrate a domain, in the adapter's terms (no libvirt types).
 *
 * @param destination the destination host
 * @param peerToPeer the source libvirtd drives the migration (virDomainMigrateToURI3); otherwise
 *     the service drives both connections (virDomainMigrate3, OpenNebula's migrate_local)
 * @param live keep the guest running while its memory is copied
 * @param unsafe migrate although libvirt cannot prove the disks are safe (shared storage)
 * @param tunnelled carry the data over the libvirtd connection (peer-to-peer only)
 * @param persistent define the domain on the destination and undefine it on the source
 * @param copyStorage NONE, ALL (full copy of non-shared disks) or INCREMENTAL
 * @param bandwidthMiBps bandwidth cap, MiB/s
 * @param migrationUri where QEMU sends the data ({@code tcp://addr}); null lets libvirt choose
 * @param destinationXml the domain as the destination should define it (disks at other paths): an
 *     edited {@link LibvirtGateway#migratableXml}, complete; or null for the source's
 */
public record MigrationSpec(
    HostRef destination,
    boolean peerToPeer,
    boolean live,
    boolean unsafe,
    boolean tunnelled,
    boolean persistent,
    CopyStorage copyStorage,
    @Nullable Long bandwidthMiBps,
    boolean autoConverge,
    boolean compressed,
    @Nullable String migrationUri,
    @Nullable XmlElement destinationXml) {

  /** Which disks QEMU copies to the destination. */
  public enum CopyStorage {
    NONE,
    ALL,
    INCREMENTAL
  }
}
