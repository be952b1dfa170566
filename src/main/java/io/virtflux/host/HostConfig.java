package io.virtflux.host;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A host as configured (application config or {@code POST /api/v1/hosts}).
 *
 * @param parallelActions let the lane run several actions at once; honoured only on TCP/TLS
 * @param maxActions the lane's limit when parallel actions apply
 * @param datastores directories on the host that disks, kernels and saves may use; empty: the
 *     service-wide {@code virtflux.datastores}
 * @param domainType {@code auto} (kvm when the host's capabilities offer it, else qemu), {@code
 *     kvm} or {@code qemu}
 * @param migrationAddress where migration data to this host goes, when not its URI's host
 * @param pciFilter OpenNebula's probe filter: which PCI devices the host's inventory shows by
 *     default, e.g. {@code 10de::0300} (absent: every device)
 * @param reservedMemoryMiB memory held back for the host itself, never promised to VMs
 *     (OpenNebula's RESERVED_MEM); absent: 0
 */
public record HostConfig(
    @NotBlank @Pattern(regexp = HostNames.PATTERN) String name,
    @Schema(example = "qemu+tcp://127.0.0.21:16521/system") @NotBlank String uri,
    @Nullable Boolean parallelActions,
    @Nullable @Min(1) @Max(64) Integer maxActions,
    @Schema(
            description =
                "Directories on the host that disks, kernels and saves may use; absent and"
                    + " [] both mean the service-wide virtflux.datastores",
            defaultValue = "[]")
        @Nullable List<String> datastores,
    @Schema(implementation = HostDomainType.class, defaultValue = "auto")
        @Nullable
        @Pattern(regexp = "auto|kvm|qemu")
        String domainType,
    @Nullable @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$") String migrationAddress,
    @Schema(example = "10de::0300,::0302")
        @Nullable
        @Pattern(
            regexp = FILTER,
            message =
                "must be comma-separated [vendor]:[device][:class[:prog-if]] items, e.g."
                    + " 10de::0300")
        String pciFilter,
    @Schema(
            example = "2048",
            description =
                "Memory in MiB held back for the host itself, never promised to VMs"
                    + " (OpenNebula's RESERVED_MEM); absent: 0")
        @Nullable
        @Min(0)
        Long reservedMemoryMiB) {

  /**
   * A PCI filter item's shape: 2 to 4 fields of hex digits, x (0x prefix, class wildcard) and *.
   */
  private static final String FILTER_ITEM =
      "[0-9a-fA-FxX*]*:[0-9a-fA-FxX*]*(:[0-9a-fA-FxX*]*){0,2}";

  /**
   * OpenNebula's PCI filter, its shape only: the pci package's parser checks the rest (which field
   * may hold an x, how large a number may be) as lspci does, and names the item it refuses.
   */
  static final String FILTER = "^(" + FILTER_ITEM + "(," + FILTER_ITEM + ")*)?$";

  public boolean parallel() {
    return Boolean.TRUE.equals(parallelActions);
  }

  public int actions() {
    return maxActions == null ? 1 : maxActions;
  }

  public List<String> datastoresOr(List<String> fallback) {
    return datastores == null || datastores.isEmpty() ? fallback : datastores;
  }

  /** The memory held back for the host, in MiB (0 when not configured). */
  public long reservedMiB() {
    return reservedMemoryMiB == null ? 0 : reservedMemoryMiB;
  }

  public String domainTypeOrAuto() {
    return domainType == null ? "auto" : domainType;
  }
}
