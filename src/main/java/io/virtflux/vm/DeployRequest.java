package io.virtflux.vm;

import io.swagger.v3.oas.annotations.media.Schema;
import io.virtflux.host.HostNames;
import io.virtflux.vm.template.VmTemplate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/vms}: which host, and the VM template.
 *
 * @param host the host's name; absent: the service places the VM on an ONLINE host with the memory
 *     and the PCI devices it needs, and says in the operation's result where and why
 */
public record DeployRequest(
    @Schema(pattern = HostNames.PATTERN, example = "kvm1") @Nullable @Size(min = 1, max = 63)
        String host,
    @NotNull @Valid VmTemplate template) {}
