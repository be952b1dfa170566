package io.virtflux.libvirt;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code libvirt} in {@code /actuator/info}: the client library loaded, and any known risk. */
@Component
class LibvirtClientInfo implements InfoContributor {

  private final LibvirtClient client;

  LibvirtClientInfo(LibvirtClient client) {
    this.client = client;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> libvirt = new LinkedHashMap<>();
    libvirt.put("clientVersion", client.version());
    client.warning().ifPresent(w -> libvirt.put("warning", w));
    builder.withDetail("libvirt", libvirt);
  }
}
