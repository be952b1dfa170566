package io.virtflux.vm;

import io.virtflux.vm.template.VmTemplate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /api/v1/vms}: which host, and the VM template.
 *
 * @param host the host's name
 */
public record DeployRequest(@NotBlank String host, @NotNull @Valid VmTemplate template) {}
