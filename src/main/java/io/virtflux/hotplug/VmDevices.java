package io.virtflux.hotplug;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.xml.DevicesXml;
import io.virtflux.libvirt.xml.DomainXml;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A VM's devices as libvirt has them now: in the running domain ({@code live}, absent when it is
 * shut off) and in its persistent definition ({@code config}, absent for a transient domain, and
 * for a running one when only its live XML was read: {@link VmDevicesReader.Documents#CURRENT}).
 */
record VmDevices(
    Host host, DomainStatus status, @Nullable DomainXml live, @Nullable DomainXml config) {

  String vm() {
    return status.name();
  }

  boolean active() {
    return status.state().active();
  }

  /**
   * Where an attach or media change applies: the running domain and, unless {@code liveOnly}, its
   * definition (so the device survives a restart); only the definition of a shut-off VM.
   */
  DeviceScope scopeFor(boolean liveOnly) {
    if (active()) {
      return new DeviceScope(true, status.persistent() && !liveOnly);
    }
    if (liveOnly) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "VM not running",
          "liveOnly changes the running domain, and '" + vm() + "' is " + status.state());
    }
    return DeviceScope.configOnly();
  }

  /** The domain a change in {@code scope} is checked against: the live one when it is live. */
  DomainXml reference(DeviceScope scope) {
    DomainXml d = scope.live() ? live : config;
    if (d == null) {
      throw new IllegalStateException("no " + (scope.live() ? "live" : "persistent") + " XML");
    }
    return d;
  }

  /** The disk targets in use wherever {@code scope} applies. */
  Set<String> diskTargets(DeviceScope scope) {
    Set<String> used = new LinkedHashSet<>();
    if (scope.live() && live != null) {
      used.addAll(live.devicesOrEmpty().diskTargets());
    }
    if (scope.config() && config != null) {
      used.addAll(config.devicesOrEmpty().diskTargets());
    }
    return used;
  }

  /** The MACs in use in the XML read, live or persistent. */
  Set<String> macs() {
    Set<String> used = new LinkedHashSet<>();
    for (DomainXml d : new DomainXml[] {live, config}) {
      if (d != null) {
        d.devicesOrEmpty().interfaces().stream()
            .filter(i -> i.macAddress() != null)
            .forEach(i -> used.add(i.macAddress()));
      }
    }
    return used;
  }

  /** The machine type (pc-q35-…), which decides which buses a disk may use. */
  @Nullable String machine() {
    DomainXml d = live != null ? live : config;
    return d == null || d.os() == null || d.os().type() == null ? null : d.os().type().machine();
  }

  /**
   * Where the device {@code present} finds is, limited by {@code liveOnly}: the running domain, the
   * definition, or both; a 404 problem naming {@code what} when it is in neither.
   */
  DeviceScope whereIs(Predicate<DevicesXml> present, boolean liveOnly, String what) {
    boolean inLive = live != null && present.test(live.devicesOrEmpty());
    boolean inConfig = !liveOnly && config != null && present.test(config.devicesOrEmpty());
    if (!inLive && !inConfig) {
      throw Problems.of(
          HttpStatus.NOT_FOUND,
          "No such device",
          "VM '"
              + vm()
              + "' has no "
              + what
              + (liveOnly ? " in its running domain" : "")
              + " on host '"
              + host.name()
              + "'");
    }
    return new DeviceScope(inLive, inConfig);
  }

  /**
   * The first device that {@code by} finds where {@code scope} applies, the running domain first; a
   * 404 problem when none does.
   */
  <T> T find(DeviceScope scope, Function<DevicesXml, Optional<T>> by) {
    for (DomainXml d : scope.live() ? new DomainXml[] {live, config} : new DomainXml[] {config}) {
      if (d != null) {
        Optional<T> found = by.apply(d.devicesOrEmpty());
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    throw Problems.of(
        HttpStatus.NOT_FOUND, "No such device", "VM '" + vm() + "' has no such device");
  }
}
