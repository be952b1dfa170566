package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A VM template, the JSON body of a deploy request: OpenNebula's template attributes for KVM.
 * Everything but {@code name} and {@code memory} is optional; what is absent comes from {@link
 * VmDefaults}, attribute by attribute ({@link TemplateDefaults}). Enumerated values are plain
 * strings so that an unknown one becomes a field violation from {@link TemplateValidator} rather
 * than a parse error.
 *
 * @param name the libvirt domain name: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}
 * @param memory MiB
 * @param cpu share of a physical CPU; becomes {@code <cputune><shares>} = ceil(cpu × 1024)
 * @param vcpu virtual CPUs
 * @param domainType kvm or qemu; absent means what the host offers (the caller decides)
 * @param emulator QEMU binary; must be in {@link VmPolicy#emulators()}
 * @param console the serial console: a log file in a datastore (the default) or a pty
 * @param raw libvirt XML merged into the domain, see {@link Raw}
 * @param pci PCI devices to pass through: each request is matched to a free device of the host at
 *     deploy ({@code <hostdev mode='subsystem' type='pci' managed='yes'>})
 */
public record VmTemplate(
    @Schema(
            description = "The libvirt domain name",
            minLength = 1,
            pattern = SafeNames.NAME_PATTERN,
            example = "web-1")
        @NotBlank
        @Size(min = 1, max = 64)
        String name,
    @Schema(description = "Memory in MiB", minimum = "1", maximum = "16777216", example = "2048")
        @NotNull
        @Positive
        Long memory,
    @Schema(
            description =
                "Share of a physical CPU (OpenNebula's CPU): <cputune><shares> = ceil(cpu × 1024);"
                    + " absent: no shares element")
        @DecimalMin("0.001")
        @DecimalMax("256")
        @Nullable Double cpu,
    @Schema(description = "Virtual CPUs; absent: the configured default") @Min(1)
        @Nullable Integer vcpu,
    @Schema(
            implementation = DomainType.class,
            description = "absent: what the host offers (its configured domainType)")
        @Nullable String domainType,
    @Schema(description = "QEMU binary; must be one the service allows; absent: the default")
        @Nullable String emulator,
    @Valid @Nullable Os os,
    @Valid @Nullable Features features,
    @Schema(description = "Disks in order; absent and [] both mean no disks", defaultValue = "[]")
        @Size(max = 64)
        List<@Valid @NotNull Disk> disks,
    @Schema(description = "NICs in order; absent and [] both mean no NICs", defaultValue = "[]")
        @Size(max = 32)
        List<@Valid @NotNull Nic> nics,
    @Valid @Nullable Graphics graphics,
    @Valid @Nullable Console console,
    @Valid @Nullable Raw raw,
    @Schema(
            description = "PCI devices to pass through; absent and [] both mean none",
            defaultValue = "[]")
        @Size(max = 16)
        List<@Valid @NotNull Pci> pci) {

  public VmTemplate {
    disks = readOnlyCopy(disks);
    nics = readOnlyCopy(nics);
    pci = readOnlyCopy(pci);
  }

  /**
   * {@code PCI = [VENDOR, DEVICE, CLASS]}: a PCI device to pass through, by any of its ids (4 hex
   * digits each, as lspci prints them); at least one is required.
   *
   * @param pciClass class and subclass, {@code 0300} for a VGA controller
   */
  public record Pci(
      @Schema(pattern = HEX4, example = "10de") @Nullable String vendor,
      @Schema(pattern = HEX4, example = "1eb8") @Nullable String device,
      @com.fasterxml.jackson.annotation.JsonProperty("class")
          @Schema(name = "class", pattern = HEX4, example = "0302")
          @Nullable String pciClass) {}

  /** Four hex digits, as lspci prints PCI ids. */
  static final String HEX4 = "^[0-9a-fA-F]{4}$";

  /**
   * OS and boot: {@code OS = [ARCH, MACHINE, KERNEL, INITRD, KERNEL_CMD, ROOT, BOOT]}.
   *
   * @param root root device, {@code vda1} or {@code /dev/vda1}: prepended to the kernel command
   *     line as {@code root=/dev/vda1}
   * @param boot boot devices in order (hd, cdrom, fd, network), as a list or one comma-separated
   *     string {@code "hd,cdrom"}
   */
  public record Os(
      @Nullable String arch,
      @Nullable String machine,
      @Nullable String kernel,
      @Nullable String initrd,
      @Size(max = 4096) @Nullable String kernelCmd,
      @Nullable String root,
      @Schema(
              description =
                  "Boot devices in order; absent and [] both mean the configured default order"
                      + " (or none when a disk has a bootOrder). One comma-separated string"
                      + " (\"hd,cdrom\") is accepted too.",
              defaultValue = "[]")
          // inline: swagger-core leaves an enumAsRef component out when only array items use it
          @ArraySchema(schema = @Schema(allowableValues = {"hd", "cdrom", "fd", "network"}))
          @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<String> boot) {

    public Os {
      boot = boot == null ? List.of() : splitBoot(boot);
    }
  }

  /**
   * Feature switches; absent ones come from the defaults.
   *
   * @param guestAgent adds the {@code org.qemu.guest_agent.0} virtio channel
   */
  public record Features(
      @Nullable Boolean acpi,
      @Nullable Boolean pae,
      @Nullable Boolean apic,
      @Nullable Boolean guestAgent) {}

  /**
   * {@code DISK = [...]}.
   *
   * @param source image path under a datastore; a {@code /dev/} path makes a block disk; may be
   *     absent only for an empty cdrom drive
   * @param type disk (default), cdrom or floppy
   * @param driver image format: raw, qcow2, …
   * @param cache default, none, writethrough, writeback, directsync or unsafe
   * @param io native, threads or io_uring
   * @param discard unmap or ignore
   * @param devPrefix sd (SCSI, the default), vd (virtio), hd (IDE, at most 4), fd (floppy)
   * @param target target device ({@code vdb}); assigned in order per prefix when absent
   * @param bootOrder per-device boot order; excludes {@code os.boot}
   * @param iotune I/O limits (OpenNebula's TOTAL_BYTES_SEC, READ_IOPS_SEC, …)
   */
  public record Disk(
      @Nullable String source,
      @Schema(implementation = DiskType.class, description = "absent: disk") @Nullable String type,
      @Schema(implementation = DiskDriver.class, description = "absent: the configured default")
          @Nullable String driver,
      @Schema(implementation = DiskCache.class, description = "absent: the configured default")
          @Nullable String cache,
      @Schema(implementation = DiskIo.class, description = "absent: the configured default")
          @Nullable String io,
      @Schema(implementation = DiskDiscard.class, description = "absent: the configured default")
          @Nullable String discard,
      @Schema(
              implementation = DevPrefix.class,
              description = "absent: the target's prefix, else fd for a floppy, else the default")
          @Nullable String devPrefix,
      @Schema(description = "Target device, e.g. vdb; absent: the next free one of the prefix")
          @Nullable String target,
      @Nullable Boolean readonly,
      @Positive @Nullable Integer bootOrder,
      @Valid @Nullable IoTune iotune) {

    /** A copy with prefix and target set (used when assigning targets). */
    public Disk withTarget(String prefix, String newTarget) {
      return new Disk(
          source, type, driver, cache, io, discard, prefix, newTarget, readonly, bootOrder, iotune);
    }
  }

  /**
   * Per-disk I/O limits; a total limit excludes the read and write limits of the same kind.
   *
   * @param totalBytesSec bytes per second, read and write together
   * @param totalIopsSec operations per second, read and write together
   */
  public record IoTune(
      @Schema(description = "Bytes per second, read and write together") @PositiveOrZero
          @Nullable Long totalBytesSec,
      @Schema(description = "Bytes per second") @PositiveOrZero @Nullable Long readBytesSec,
      @Schema(description = "Bytes per second") @PositiveOrZero @Nullable Long writeBytesSec,
      @Schema(description = "Operations per second, read and write together") @PositiveOrZero
          @Nullable Long totalIopsSec,
      @Schema(description = "Operations per second") @PositiveOrZero @Nullable Long readIopsSec,
      @Schema(description = "Operations per second") @PositiveOrZero @Nullable Long writeIopsSec) {}

  /**
   * {@code NIC = [...]}.
   *
   * @param type user (QEMU's slirp, the default), network, bridge or ethernet
   * @param source network name or bridge name
   * @param model virtio, e1000, …
   * @param mac generated as 52:54:00:xx:xx:xx when absent
   * @param target host tap name (network, bridge, ethernet)
   * @param script script run after creating the tap; must be in {@link VmPolicy#nicScripts()}
   * @param filter libvirt nwfilter name (network, bridge, ethernet), e.g. {@code clean-traffic}
   * @param bandwidth traffic shaping on the host tap (network, bridge, ethernet)
   */
  public record Nic(
      @Schema(implementation = NicType.class, description = "absent: the configured default")
          @Nullable String type,
      @Nullable String source,
      @Schema(implementation = NicModel.class, description = "absent: the configured default")
          @Nullable String model,
      @Schema(
              description = "Unicast MAC address; absent: generated as 52:54:00:xx:xx:xx",
              pattern = "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")
          @Nullable String mac,
      @Nullable String target,
      @Nullable String script,
      @Nullable String filter,
      @Valid @Nullable Bandwidth bandwidth) {

    /** A copy with this MAC address. */
    public Nic withMac(String newMac) {
      return new Nic(type, source, model, newMac, target, script, filter, bandwidth);
    }
  }

  /**
   * A NIC's traffic shaping (OpenNebula's INBOUND_AVG_BW, OUTBOUND_PEAK_BW, …), each direction seen
   * from the guest.
   */
  public record Bandwidth(@Valid @Nullable Rate inbound, @Valid @Nullable Rate outbound) {}

  /**
   * One direction of {@link Bandwidth}.
   *
   * @param average KiB/s
   * @param peak KiB/s while a burst lasts
   * @param burst KiB that may be sent at peak speed
   */
  public record Rate(
      @Schema(description = "KiB/s") @NotNull @Positive Long average,
      @Schema(description = "KiB/s while a burst lasts") @Positive @Nullable Long peak,
      @Schema(description = "KiB that may be sent at peak speed") @Positive @Nullable Long burst) {}

  /**
   * {@code GRAPHICS = [...]}; absent means no graphics (a serial-console guest).
   *
   * @param type vnc or spice
   * @param listen an IP address; the default is loopback
   * @param port 5900–65535; absent lets libvirt pick a free one
   */
  public record Graphics(
      @Schema(implementation = GraphicsType.class, requiredMode = Schema.RequiredMode.REQUIRED)
          @Nullable String type,
      @Schema(description = "An IPv4 or IPv6 address; absent: the configured default (loopback)")
          @Nullable String listen,
      @Schema(
              description = "TCP port; absent: libvirt picks a free one",
              minimum = "5900",
              maximum = "65535")
          @Nullable Integer port) {}

  /**
   * The serial console (a virtflux attribute, not OpenNebula's).
   *
   * @param type {@code file} (default): the guest's serial output appended to a log file, which
   *     survives migration and lets tests read boot lines; {@code pty}: an interactive pty
   * @param path the log file, under a datastore; default {@code <first
   *     datastore>/<name>.serial.log}
   */
  public record Console(
      @Schema(implementation = ConsoleType.class, description = "absent: the configured default")
          @Nullable String type,
      @Nullable String path) {}

  /**
   * {@code RAW = [TYPE = "kvm", DATA = "<devices>...</devices>"]}: libvirt XML merged into the
   * domain. Top-level {@code <devices>} children join the generated devices; other top-level
   * elements replace a generated element of the same name or are appended. What may appear is
   * limited by {@link VmPolicy}.
   *
   * @param type must be {@code kvm} (absent means kvm)
   */
  public record Raw(
      @Schema(allowableValues = "kvm", description = "absent: kvm") @Nullable String type,
      @Size(max = 65536) @Nullable String data) {}

  /**
   * Keeps {@code null} entries of a JSON array ({@code [null]}) so that the validator can report
   * them as field violations instead of the constructor failing with an opaque parse error.
   */
  private static <T> List<T> readOnlyCopy(@Nullable List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** {@code ["hd,cdrom"]} and {@code ["hd", "cdrom"]} both become {@code [hd, cdrom]}. */
  static List<String> splitBoot(List<String> boot) {
    List<String> out = new ArrayList<>();
    for (String entry : boot) {
      if (entry == null) {
        continue;
      }
      for (String part : entry.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return List.copyOf(out);
  }
}
