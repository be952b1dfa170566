package io.virtflux.vm.template;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;
import java.util.Optional;

/** libvirt's {@code <domain type=...>} for QEMU: hardware virtualization or TCG emulation. */
@Schema(name = "VmDomainType", enumAsRef = true)
public enum DomainType implements WireValue {
  /** Hardware virtualization through /dev/kvm. */
  KVM,
  /** QEMU's TCG emulation: slow, works everywhere. */
  QEMU;

  /** The value of the {@code type} attribute. */
  public String xmlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  @JsonValue
  public String wire() {
    return xmlName();
  }

  /** The type named {@code kvm} or {@code qemu}. */
  public static Optional<DomainType> fromXmlName(String name) {
    for (DomainType t : values()) {
      if (t.xmlName().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
