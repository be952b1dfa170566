/**
 * VM templates and how they become domain XML: the OpenNebula KVM driver's template attributes
 * ({@link io.virtflux.vm.template.VmTemplate}), the {@code vmm_exec_kvm.conf} defaults ({@link
 * io.virtflux.vm.template.VmDefaults}), what callers may ask for ({@link
 * io.virtflux.vm.template.VmPolicy}, {@link io.virtflux.vm.template.TemplateValidator}) and the
 * translation into the typed libvirt model ({@link io.virtflux.vm.template.DomainBuilder}).
 *
 * <p>The split follows Nova's {@code designer.py} / {@code config.py}: this package decides what VM
 * we want; {@code io.virtflux.libvirt.xml} knows how the XML looks. No code here builds XML text.
 */
@NullMarked
package io.virtflux.vm.template;

import org.jspecify.annotations.NullMarked;
