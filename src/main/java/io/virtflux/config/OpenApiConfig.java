package io.virtflux.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.servers.ServerVariable;
import io.swagger.v3.oas.models.servers.ServerVariables;
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
        // a generated client takes the first server as its default base URL: name a real one
        // (where dev/run listens) with variables, rather than "/", which clients read as
        // http://localhost; Swagger UI can pick the second, the instance that serves it
        .servers(
            List.of(
                new Server()
                    .url("{scheme}://{host}:{port}")
                    .description("a virtflux instance (dev/run: http://localhost:8080)")
                    .variables(
                        new ServerVariables()
                            .addServerVariable(
                                "scheme",
                                new ServerVariable()
                                    ._default("http")
                                    ._enum(List.of("http", "https")))
                            .addServerVariable("host", new ServerVariable()._default("localhost"))
                            .addServerVariable("port", new ServerVariable()._default("8080"))),
                new Server().url("/").description("the instance that serves this document")))
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
