package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import tools.jackson.dataformat.xml.annotation.JacksonXmlText;

/**
 * {@code virsh capabilities}: the host's identity and CPU, and per guest architecture the domain
 * types (kvm, qemu) and machine types its emulators offer. Read only.
 */
@JacksonXmlRootElement(localName = "capabilities")
public record CapabilitiesXml(
    Host host, @JacksonXmlProperty(localName = "guest") List<Guest> guests) {

  public CapabilitiesXml {
    guests = guests == null ? List.of() : List.copyOf(guests);
  }

  /** The hvm guest for {@code arch} ({@code x86_64}), if the host can run one. */
  public Optional<Guest> hvmGuest(String arch) {
    return guests.stream()
        .filter(g -> "hvm".equals(g.osType()))
        .filter(g -> g.arch() != null && arch.equals(g.arch().name()))
        .findFirst();
  }

  /** The domain types ({@code qemu}, {@code kvm}) available for {@code arch}; empty if none. */
  public Set<String> domainTypes(String arch) {
    Set<String> types = new LinkedHashSet<>();
    hvmGuest(arch).ifPresent(g -> g.arch().domains().forEach(d -> types.add(d.type())));
    return Set.copyOf(types);
  }

  /** Whether libvirt offers hardware virtualization for {@code arch}. */
  public boolean supportsKvm(String arch) {
    return domainTypes(arch).contains("kvm");
  }

  /** {@code <host>}. */
  public record Host(@Nullable String uuid, @Nullable HostCpu cpu, @Nullable Iommu iommu) {}

  /** {@code <cpu><arch>x86_64</arch><model>Skylake-Client-IBRS</model><vendor>Intel</vendor>}. */
  public record HostCpu(@Nullable String arch, @Nullable String model, @Nullable String vendor) {}

  /** {@code <iommu support='yes'/>}: whether PCI passthrough can work on this host. */
  public record Iommu(@JacksonXmlProperty(isAttribute = true) @Nullable String support) {

    /** Whether the host reports IOMMU support. */
    public boolean supported() {
      return "yes".equals(support);
    }
  }

  /** {@code <guest><os_type>hvm</os_type><arch name='x86_64'>...}. */
  public record Guest(
      @JacksonXmlProperty(localName = "os_type") @Nullable String osType, @Nullable Arch arch) {}

  /**
   * {@code <arch name='x86_64'>}: the default emulator, its machine types and the domain types.
   *
   * @param machines machine types of the default emulator; a domain type may list its own
   */
  public record Arch(
      @JacksonXmlProperty(isAttribute = true) String name,
      @Nullable Integer wordsize,
      @Nullable String emulator,
      @JacksonXmlProperty(localName = "machine") List<Machine> machines,
      @JacksonXmlProperty(localName = "domain") List<Domain> domains) {

    public Arch {
      machines = machines == null ? List.of() : List.copyOf(machines);
      domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /** The machine type names, aliases ({@code pc}, {@code q35}) included. */
    public List<String> machineNames() {
      List<String> names = new ArrayList<>();
      machines.forEach(m -> names.add(m.value()));
      return List.copyOf(names);
    }
  }

  /**
   * {@code <machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>}.
   *
   * @param canonical set when the name is an alias for a versioned machine type
   */
  public record Machine(
      @JacksonXmlProperty(isAttribute = true) @Nullable String canonical,
      @JacksonXmlProperty(isAttribute = true) @Nullable Integer maxCpus,
      @JacksonXmlProperty(isAttribute = true) @Nullable String deprecated,
      @JacksonXmlText String value) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Machine {}

    /** {@code <machine>pc</machine>}: text without attributes. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Machine ofText(String text) {
      return new Machine(null, null, null, text);
    }
  }

  /**
   * {@code <domain type='kvm'/>}, optionally with its own emulator and machines.
   *
   * @param type kvm or qemu
   */
  public record Domain(
      @JacksonXmlProperty(isAttribute = true) String type,
      @Nullable String emulator,
      @JacksonXmlProperty(localName = "machine") List<Machine> machines) {

    public Domain {
      machines = machines == null ? List.of() : List.copyOf(machines);
    }
  }
}
