package io.virtflux.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.libvirt.VmState;
import org.jspecify.annotations.Nullable;

/**
 * What a lifecycle action left: the VM's state as libvirt shows it afterwards.
 *
 * @param vm the VM's name
 * @param host the host it is on
 * @param state its state after the action
 * @param action what was done: the action, or for a shutdown how it went ("acpi shutdown", or a
 *     destroy and why)
 * @param path the state file, for save and restore
 */
record VmLifecycleResult(
    String vm,
    String host,
    @Schema(implementation = VmState.class) String state,
    String action,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String path) {}
