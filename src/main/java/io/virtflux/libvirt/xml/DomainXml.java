package io.virtflux.libvirt.xml;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import tools.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * {@code <domain type='kvm|qemu'>}: what we define, and what {@code virsh dumpxml} returns.
 *
 * @param type kvm (hardware virtualization) or qemu (TCG emulation)
 * @param id the running domain's id, live XML only
 * @param uuid absent lets libvirt generate one
 * @param memory maximum memory
 * @param currentMemory the balloon target; absent means equal to {@code memory}
 * @param extra top-level elements merged in from a template's RAW section, written last and never
 *     read back
 */
@JacksonXmlRootElement(localName = "domain")
@JsonIgnoreProperties(value = "extra", allowGetters = true)
public record DomainXml(
    @JacksonXmlProperty(isAttribute = true) String type,
    @JacksonXmlProperty(isAttribute = true) @Nullable Integer id,
    String name,
    @Nullable String uuid,
    @Nullable MemoryXml memory,
    @JacksonXmlProperty(localName = "currentMemory") @Nullable MemoryXml currentMemory,
    @Nullable VcpuXml vcpu,
    @Nullable CpuTuneXml cputune,
    @Nullable OsXml os,
    @Nullable FeaturesXml features,
    @Nullable CpuXml cpu,
    @Nullable ClockXml clock,
    @JacksonXmlProperty(localName = "on_poweroff") @Nullable String onPoweroff,
    @JacksonXmlProperty(localName = "on_reboot") @Nullable String onReboot,
    @JacksonXmlProperty(localName = "on_crash") @Nullable String onCrash,
    @Nullable DevicesXml devices,
    List<XmlElement> extra) {

  public DomainXml {
    extra = extra == null ? List.of() : List.copyOf(extra);
  }

  /** The devices, or an empty set when the element is absent. */
  public DevicesXml devicesOrEmpty() {
    return devices == null ? DevicesXml.empty() : devices;
  }

  /** A copy with these devices. */
  public DomainXml withDevices(DevicesXml newDevices) {
    return copy(newDevices, extra);
  }

  /** A copy with these extra (RAW) top-level elements appended. */
  public DomainXml withExtra(List<XmlElement> more) {
    List<XmlElement> all = new ArrayList<>(extra);
    all.addAll(more);
    return copy(devices, all);
  }

  private DomainXml copy(@Nullable DevicesXml newDevices, List<XmlElement> newExtra) {
    return new DomainXml(
        type,
        id,
        name,
        uuid,
        memory,
        currentMemory,
        vcpu,
        cputune,
        os,
        features,
        cpu,
        clock,
        onPoweroff,
        onReboot,
        onCrash,
        newDevices,
        newExtra);
  }

  /**
   * A copy without the typed top-level element named {@code element}, so that a RAW element of the
   * same name replaces it instead of duplicating it. Names of elements that are not modeled (and
   * {@code name}, {@code devices}, which RAW must not replace) leave it unchanged.
   */
  public DomainXml withoutElement(String element) {
    MemoryXml mem = "memory".equals(element) ? null : memory;
    MemoryXml cur = "currentMemory".equals(element) ? null : currentMemory;
    VcpuXml vc = "vcpu".equals(element) ? null : vcpu;
    CpuTuneXml tune = "cputune".equals(element) ? null : cputune;
    OsXml o = "os".equals(element) ? null : os;
    FeaturesXml f = "features".equals(element) ? null : features;
    CpuXml c = "cpu".equals(element) ? null : cpu;
    ClockXml cl = "clock".equals(element) ? null : clock;
    String off = "on_poweroff".equals(element) ? null : onPoweroff;
    String reb = "on_reboot".equals(element) ? null : onReboot;
    String cr = "on_crash".equals(element) ? null : onCrash;
    String u = "uuid".equals(element) ? null : uuid;
    return new DomainXml(
        type, id, name, u, mem, cur, vc, tune, o, f, c, cl, off, reb, cr, devices, extra);
  }
}
