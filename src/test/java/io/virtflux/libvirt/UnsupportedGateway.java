package io.virtflux.libvirt;

import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.NodeDeviceXml;
import io.virtflux.libvirt.xml.XmlElement;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A gateway for unit tests of pure logic: every call fails until a test overrides it. Never a
 * stand-in for a real daemon in a test of deploy, migration or hotplug.
 */
public abstract class UnsupportedGateway implements LibvirtGateway {

  private static <T> Mono<T> unsupported() {
    return Mono.error(new UnsupportedOperationException("not faked in this test"));
  }

  @Override
  public Mono<HostFacts> probe(HostRef host) {
    return unsupported();
  }

  @Override
  public Mono<DomainStatus> defineAndStart(HostRef host, DomainXml domain, DeploymentMarkXml mark) {
    return unsupported();
  }

  @Override
  public String definitionXml(DomainXml domain) {
    throw new UnsupportedOperationException("not faked in this test");
  }

  @Override
  public Mono<DomainStatus> status(HostRef host, String vm) {
    return unsupported();
  }

  @Override
  public Mono<List<DomainStatus>> list(HostRef host) {
    return unsupported();
  }

  @Override
  public Mono<DomainXml> domainXml(HostRef host, String vm, boolean inactive) {
    return unsupported();
  }

  @Override
  public Mono<String> domainXmlText(HostRef host, String vm, boolean inactive) {
    return unsupported();
  }

  @Override
  public Mono<Void> act(HostRef host, String vm, DomainAction action) {
    return unsupported();
  }

  @Override
  public Mono<XmlElement> migratableXml(HostRef host, String vm) {
    return unsupported();
  }

  @Override
  public Mono<Void> save(HostRef host, String vm, String path) {
    return unsupported();
  }

  @Override
  public Mono<Void> restore(HostRef host, String path) {
    return unsupported();
  }

  @Override
  public Mono<Void> migrate(HostRef source, String vm, MigrationSpec spec) {
    return unsupported();
  }

  @Override
  public Mono<MigrationProgress> jobProgress(HostRef host, String vm, boolean completed) {
    return unsupported();
  }

  @Override
  public Mono<Void> abortJob(HostRef host, String vm) {
    return unsupported();
  }

  @Override
  public Mono<Void> setMaxDowntime(HostRef host, String vm, long milliseconds) {
    return unsupported();
  }

  @Override
  public Mono<String> compareCpu(HostRef host, CapabilitiesXml.HostCpu cpu) {
    return unsupported();
  }

  @Override
  public Mono<Void> attachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    return unsupported();
  }

  @Override
  public Mono<Void> detachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    return unsupported();
  }

  @Override
  public Mono<Void> updateDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    return unsupported();
  }

  @Override
  public Mono<List<NodeDeviceXml>> nodeDevices(HostRef host, String capability) {
    return unsupported();
  }

  @Override
  public Mono<java.util.Map<String, DomainXml>> domainXmls(HostRef host) {
    return unsupported();
  }

  @Override
  public Mono<List<DomainStats>> domainStats(HostRef host) {
    return unsupported();
  }

  @Override
  public Mono<Void> mark(HostRef host, String vm, DeploymentMarkXml mark) {
    return unsupported();
  }

  @Override
  public Mono<DeploymentMarkXml> markOf(HostRef host, String vm) {
    return unsupported();
  }

  @Override
  public Mono<Void> disconnect(HostRef host) {
    return Mono.empty();
  }
}
