package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtflux.VirtfluxApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.ErrorResponseException;

/** A host registered through the API is still there after a restart; a bad one is never stored. */
class RegisteredHostsRestartTest {

  @TempDir Path dir;

  @Test
  void registeredHostsSurviveARestartAndConfiguredHostsWinNameClashes() {
    String journal = dir.resolve("journal").toString();
    try (ConfigurableApplicationContext first = start(journal)) {
      RegisteredHosts hosts = first.getBean(RegisteredHosts.class);
      hosts
          .register(
              new HostConfig("api-host", "test:///default", true, 3, null, null, null, null, null),
              "root")
          .block();
      hosts
          .register(
              new HostConfig("clash", "test:///default", null, null, null, null, null, null, null),
              "root")
          .block();
      assertThatThrownBy(
              () ->
                  hosts
                      .register(
                          new HostConfig(
                              "bad", "xen:///system", null, null, null, null, null, null, null),
                          "root")
                      .block())
          .isInstanceOfSatisfying(
              ErrorResponseException.class,
              e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
      assertThatThrownBy(
              () ->
                  hosts
                      .register(
                          new HostConfig(
                              "api-host",
                              "test:///default",
                              null,
                              null,
                              null,
                              null,
                              null,
                              null,
                              null),
                          "root")
                      .block())
          .isInstanceOfSatisfying(
              ErrorResponseException.class,
              e -> assertThat(e.getStatusCode().value()).isEqualTo(409));
    }
    try (ConfigurableApplicationContext second =
        start(
            journal,
            "--virtflux.hosts[0].name=clash",
            "--virtflux.hosts[0].uri=qemu+tcp://127.0.0.99/system")) {
      HostRegistry registry = second.getBean(HostRegistry.class);
      assertThat(registry.require("api-host").config().actions()).isEqualTo(3);
      assertThat(registry.require("clash").config().uri()).startsWith("qemu+tcp://");
      assertThat(registry.find("bad")).isEmpty();
    }
  }

  private static ConfigurableApplicationContext start(String journal, String... more) {
    String[] args = new String[more.length + 3];
    args[0] = "--virtflux.journal.path=" + journal;
    args[1] = "--spring.main.banner-mode=off";
    args[2] = "--virtflux.probe-interval=0s";
    System.arraycopy(more, 0, args, 3, more.length);
    return new SpringApplicationBuilder(VirtfluxApplication.class)
        .web(WebApplicationType.NONE)
        .run(args);
  }
}
