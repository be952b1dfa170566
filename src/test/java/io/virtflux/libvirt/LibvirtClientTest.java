package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which client versions are known to crash the process (CVE-2024-4418, fixed in 10.4.0). */
class LibvirtClientTest {

  @Test
  void debian12sStockClientIsFlaggedAndTheBackportIsNot() {
    assertThat(LibvirtClient.warning(9_000_000L, true)).get().asString().contains("CVE-2024-4418");
    assertThat(LibvirtClient.warning(10_003_000L, false))
        .get()
        .asString()
        .contains("connection-per-call is false");
    assertThat(LibvirtClient.warning(10_004_000L, false)).isEmpty();
    assertThat(LibvirtClient.warning(11_003_000L, true)).isEmpty();
  }

  @Test
  void reportsTheLoadedClientsVersion() {
    LibvirtClient client = new LibvirtClient(11_003_000L, true);
    assertThat(client.version()).isEqualTo("11.3.0");
    assertThat(client.warning()).isEmpty();
  }
}
