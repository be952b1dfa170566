package io.virtflux.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Node files for libvirt's test driver ({@code test:///path/node.xml}): the two hosts under {@code
 * /pci/} (node-one: 8 GiB, an Intel iGPU and an NVIDIA T4; node-two: 2 GiB and a T4), copied to a
 * new directory because libvirt needs them as files.
 */
public final class TestDriverNodes {

  private TestDriverNodes() {}

  /** A new directory holding {@code node-one.xml} and {@code node-two.xml}. */
  public static Path copied(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      for (String f : new String[] {"node-one.xml", "node-two.xml"}) {
        try (InputStream in = TestDriverNodes.class.getResourceAsStream("/pci/" + f)) {
          Files.copy(in, dir.resolve(f));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
