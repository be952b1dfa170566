package io.virtflux.libvirt.xml;

import org.jspecify.annotations.Nullable;

/**
 * {@code <cputune><shares>512</shares></cputune>}: the cgroup weight OpenNebula derives from the
 * template's CPU attribute.
 */
public record CpuTuneXml(@Nullable Long shares) {}
