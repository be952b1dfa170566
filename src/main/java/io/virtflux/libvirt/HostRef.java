package io.virtflux.libvirt;

/** A libvirt host as the adapter sees it: the service's name for it and its connection URI. */
public record HostRef(String name, String uri) {}
