package io.virtflux.host;

import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.XmlCodec;
import io.virtflux.pci.PciDevice;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An owner's reading goes through the database as JSON; the other replicas must get back exactly
 * what it read, the parsed capabilities included (placement and template checks use them).
 */
class HostReadingTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aReadingComesBackFromItsJsonAsItWasRead() {
    CapabilitiesXml caps =
        new XmlCodec().read(resource("xml/capabilities-tcg.xml"), CapabilitiesXml.class);
    HostFacts facts =
        new HostFacts(
            "lab-a", "QEMU", "7.2.0", "9.0.0", "Skylake", 2, 2400, 8_388_608, 4_194_304, 1, caps);
    Instant at = Instant.parse("2026-12-07T20:00:00.123456Z");
    HostReading reading =
        new HostReading(
            at.minusMillis(40),
            new Host.Probe(HostStatus.ONLINE, null, facts, false, at, at.minusSeconds(60)),
            List.of(new DomainStats("vm-1", VmState.RUNNING, 5_000, 65_536, 131_072, 1)),
            List.of(
                new PciDevice(
                    "0000:65:00.0",
                    "65:00.0",
                    "10de",
                    "1eb8",
                    "0302",
                    "00",
                    "10de:1eb8:0302",
                    null,
                    null,
                    null,
                    null)));

    HostReading back = JSON.readValue(JSON.writeValueAsString(reading), HostReading.class);

    assertThat(back).isEqualTo(reading);
    assertThat(back.probe().facts().capabilities().domainTypes("x86_64")).containsExactly("qemu");
  }

  @Test
  void aHostNeverReadHasNoPciTable() {
    HostReading reading =
        new HostReading(
            Instant.EPOCH,
            new Host.Probe(HostStatus.OFFLINE, "unreachable", null, false, Instant.EPOCH, null),
            List.of(),
            null);

    assertThat(JSON.readValue(JSON.writeValueAsString(reading), HostReading.class))
        .isEqualTo(reading);
  }
}
