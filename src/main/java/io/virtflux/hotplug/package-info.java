/**
 * Disk and NIC hotplug: attach and detach (detach confirmed from the live XML, since libvirt
 * reports success before the guest lets go), cdrom media changes, and the bus and target inference
 * of OpenNebula's DEV_PREFIX. Each kind is a journaled command with its handler; {@link
 * io.virtflux.hotplug.HotplugService} plans a request against the VM's devices before it submits
 * it.
 */
@NullMarked
package io.virtflux.hotplug;

import org.jspecify.annotations.NullMarked;
