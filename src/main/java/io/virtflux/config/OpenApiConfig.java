package io.virtflux.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's metadata and the bearer scheme Swagger UI's Authorize button uses. */
@Configuration
class OpenApiConfig {

  @Bean
  OpenAPI virtfluxOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("virtflux")
                .version("v1")
                .description(
                    "Deploy, run and watch VMs on libvirt/KVM hosts. Every change is an"
                        + " operation (202 + Location); follow it at /api/v1/operations/{id} or"
                        + " on the event stream /api/v1/events."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("A token configured in virtflux.security.tokens")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"))
        // relative, so the checked-in contract does not depend on where the service runs
        .servers(List.of(new Server().url("/").description("this virtflux instance")))
        .tags(
            List.of(
                tag("hosts", "libvirt hosts: state, facts, monitoring, lanes, sync, PCI devices"),
                tag("vms", "Deploy VMs from templates, run their lifecycle, import them"),
                tag("migrations", "Live and cold migration between hosts"),
                tag("hotplug", "Attach and detach disks and NICs, change cdrom media"),
                tag("pci", "PCI devices of hosts, for passthrough"),
                tag("operations", "Every change is an operation: follow, list, cancel"),
                tag("events", "Server-sent events: operations and VM lifecycle")));
  }

  private static Tag tag(String name, String description) {
    return new Tag().name(name).description(description);
  }
}
