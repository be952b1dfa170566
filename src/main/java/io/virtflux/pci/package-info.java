/**
 * PCI devices of hosts: the inventory from libvirt's node devices (with the VM using each), the
 * lspci-style filters of OpenNebula's KVM driver guide, and matching a template's PCI requests to
 * free devices.
 */
@NullMarked
package io.virtflux.pci;

import org.jspecify.annotations.NullMarked;
