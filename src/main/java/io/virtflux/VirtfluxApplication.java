package io.virtflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: a reactive REST front for libvirt hosts. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VirtfluxApplication {

  public static void main(String[] args) {
    SpringApplication.run(VirtfluxApplication.class, args);
  }
}
