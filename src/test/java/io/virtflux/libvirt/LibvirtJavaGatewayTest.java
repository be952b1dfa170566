package io.virtflux.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.XmlCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * The adapter against libvirt's in-process test driver ({@code test:///default}): the real library
 * through JNA, without a hypervisor. Deploy, hotplug and migration are tested against real hosts in
 * the integration suite; this covers the calls and the error mapping.
 */
class LibvirtJavaGatewayTest {

  private final LibvirtJavaGateway gateway =
      new LibvirtJavaGateway(
          new LibvirtProperties(4, 100, 5, 3, 2, Duration.ofSeconds(5), true),
          (host, reason) -> {});
  private final HostRef host = new HostRef("t", "test:///default");

  @AfterEach
  void close() {
    gateway.destroy();
  }

  private static DomainXml domain(String name) {
    return new XmlCodec()
        .read(
            "<domain type='test'><name>"
                + name
                + "</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>",
            DomainXml.class);
  }

  @Test
  void probeReadsNodeInfoVersionsAndCapabilities() {
    StepVerifier.create(gateway.probe(host))
        .assertNext(
            f -> {
              assertThat(f.hypervisorType()).isEqualTo("TEST");
              assertThat(f.cpus()).isPositive();
              assertThat(f.memoryKiB()).isPositive();
              assertThat(f.capabilities().guests()).isNotEmpty();
              assertThat(f.libvirtVersion()).matches("\\d+\\.\\d+\\.\\d+");
            })
        .verifyComplete();
  }

  @Test
  void defineStartActAndListRunOnTheLibvirtScheduler(@TempDir Path dir) {
    StepVerifier.create(
            gateway.defineAndStart(host, domain("g1"), DeploymentMarkXml.deployed("op-1", "test")))
        .assertNext(s -> assertThat(s.state()).isEqualTo(VmState.RUNNING))
        .verifyComplete();
    // the call ran, and its answer comes, on the adapter's bounded scheduler
    StepVerifier.create(gateway.status(host, "g1").map(s -> Thread.currentThread().getName()))
        .assertNext(thread -> assertThat(thread).startsWith("libvirt"))
        .verifyComplete();
    StepVerifier.create(
            gateway.act(host, "g1", DomainAction.SUSPEND).then(gateway.status(host, "g1")))
        .assertNext(s -> assertThat(s.state()).isEqualTo(VmState.PAUSED))
        .verifyComplete();
    StepVerifier.create(
            gateway.act(host, "g1", DomainAction.RESUME).then(gateway.status(host, "g1")))
        .assertNext(s -> assertThat(s.state()).isEqualTo(VmState.RUNNING))
        .verifyComplete();
    Path save = dir.resolve("g1.save");
    StepVerifier.create(gateway.save(host, "g1", save.toString()).then(gateway.status(host, "g1")))
        .assertNext(s -> assertThat(s.state()).isEqualTo(VmState.SHUTOFF))
        .verifyComplete();
    assertThat(Files.exists(save)).isTrue();
    StepVerifier.create(gateway.restore(host, save.toString()).then(gateway.status(host, "g1")))
        .assertNext(s -> assertThat(s.state()).isEqualTo(VmState.RUNNING))
        .verifyComplete();
    StepVerifier.create(gateway.list(host))
        .assertNext(all -> assertThat(all).extracting(DomainStatus::name).contains("g1", "test"))
        .verifyComplete();
    StepVerifier.create(gateway.domainXml(host, "g1", false))
        .assertNext(d -> assertThat(d.name()).isEqualTo("g1"))
        .verifyComplete();
    StepVerifier.create(gateway.domainXmlText(host, "g1", false))
        .assertNext(x -> assertThat(x).contains("<name>g1</name>"))
        .verifyComplete();
    StepVerifier.create(gateway.markOf(host, "g1"))
        .assertNext(m -> assertThat(m).isEqualTo(DeploymentMarkXml.deployed("op-1", "test")))
        .verifyComplete();
  }

  @Test
  void libvirtErrorsBecomeProblemsWithLibvirtsCode() {
    StepVerifier.create(gateway.status(host, "missing"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(LibvirtFailure.class);
              LibvirtFailure f = (LibvirtFailure) e;
              assertThat(f.getStatusCode().value()).isEqualTo(404);
              assertThat(f.code()).isEqualTo("VIR_ERR_NO_DOMAIN");
              assertThat(f.getBody().getProperties()).containsEntry("host", "t");
            })
        .verify();
  }

  @Test
  void anUnreachableHostIsOfflineNotAnException() {
    HostRef nowhere = new HostRef("nowhere", "qemu+tcp://127.0.0.99:1/system");
    StepVerifier.create(gateway.probe(nowhere))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(LibvirtFailure.class);
              assertThat(((LibvirtFailure) e).hostOffline()).isTrue();
            })
        .verify();
  }

  @Test
  void versionsAreDecodedFromLibvirtsEncoding() {
    assertThat(LibvirtJavaGateway.version(9_000_000L)).isEqualTo("9.0.0");
    assertThat(LibvirtJavaGateway.version(7_002_001L)).isEqualTo("7.2.1");
  }
}
