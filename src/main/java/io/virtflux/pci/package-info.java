/**
 * PCI devices of hosts: the inventory from libvirt's node devices (with the VM using each), the
 * seed's lspci-style filters, and matching a template's PCI requests to free devices.
 */
@NullMarked
package io.virtflux.pci;

import org.jspecify.annotations.NullMarked;
