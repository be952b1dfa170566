package io.virtflux.migration;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.host.HostNames;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/vms/{name}/migrations}: OpenNebula's {@code virsh migrate --live
 * $MIGRATE_OPTIONS}, as named options.
 *
 * @param destination the destination host's name
 * @param live copy memory while the guest runs (default true); false moves a shut-off VM's
 *     definition (cold migration)
 * @param unsafe migrate although libvirt cannot prove the storage is shared (default false)
 * @param mode {@code peer-to-peer} (the source libvirtd drives it, default) or {@code managed} (the
 *     service drives both connections: OpenNebula's migrate_local)
 * @param tunnelled carry the data over the libvirtd connection (peer-to-peer only)
 * @param persistent define on the destination and undefine on the source (default true)
 * @param copyStorage {@code none} (default), {@code all} or {@code incremental}
 * @param bandwidthMiBps bandwidth cap in MiB/s
 * @param maxDowntimeMs the longest pause allowed at switch-over
 * @param timeoutSeconds the service aborts (or pauses, per onTimeout) a migration still running
 *     after this long
 * @param onTimeout {@code abort} (default: the VM keeps running on the source) or {@code pause}
 *     (pause the guest so the copy converges; it is resumed on the destination)
 * @param diskPaths with copyStorage: the path on the destination of each disk, by target ({@code
 *     {"vda": "/datastores/1/web-1/disk.0"}}); the file must exist there (libvirt copies into it)
 *     and lie under one of the destination's datastores
 */
public record MigrationRequest(
    @Schema(example = "lab-b", pattern = HostNames.PATTERN) @NotBlank String destination,
    @Schema(
            description = "Copy memory while the guest runs; false: a cold migration",
            defaultValue = "true")
        @Nullable Boolean live,
    @Schema(
            description = "Migrate although libvirt cannot prove the storage is shared",
            defaultValue = "false")
        @Nullable Boolean unsafe,
    @Schema(implementation = MigrationMode.class, defaultValue = "peer-to-peer")
        @Nullable
        @Pattern(regexp = "peer-to-peer|managed")
        String mode,
    @Schema(
            description = "Carry the data over the libvirtd connection (peer-to-peer only)",
            defaultValue = "false")
        @Nullable Boolean tunnelled,
    @Schema(
            description = "Define on the destination and undefine on the source",
            defaultValue = "true")
        @Nullable Boolean persistent,
    @Schema(implementation = CopyStorage.class, defaultValue = "none")
        @Nullable
        @Pattern(regexp = "none|all|incremental")
        String copyStorage,
    @Schema(description = "Bandwidth cap in MiB/s; absent: libvirt's default (no cap)")
        @Nullable
        @Min(1)
        @Max(100_000)
        Long bandwidthMiBps,
    @Schema(description = "The longest pause allowed at switch-over, in milliseconds")
        @Nullable
        @Min(1)
        @Max(600_000)
        Long maxDowntimeMs,
    @Schema(defaultValue = "false") @Nullable Boolean autoConverge,
    @Schema(defaultValue = "false") @Nullable Boolean compressed,
    @Schema(
            description =
                "Seconds after which the service aborts (or pauses, per onTimeout) a migration"
                    + " still running; absent: no timeout")
        @Nullable
        @Min(1)
        @Max(86_400)
        Integer timeoutSeconds,
    @Schema(implementation = MigrationTimeoutAction.class, defaultValue = "abort")
        @Nullable
        @Pattern(regexp = "abort|pause")
        String onTimeout,
    @Schema(
            description =
                "With copyStorage: the path on the destination of each disk, by target; absent"
                    + " and {} both mean the same paths as on the source")
        @Nullable Map<String, String> diskPaths) {

  boolean isLive() {
    return live == null || live;
  }

  boolean isPeerToPeer() {
    return mode == null || mode.equals("peer-to-peer");
  }

  boolean isPersistent() {
    return persistent == null || persistent;
  }

  boolean copiesStorage() {
    return copyStorage != null && !copyStorage.equals("none");
  }

  boolean pauseOnTimeout() {
    return "pause".equals(onTimeout);
  }
}
