package io.virtflux.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two lab hosts of {@code dev/lab up 2} as the real-VM scenario uses them: their URIs, the
 * shared datastore, the guest's kernel and initrd, and the names of everything the run creates.
 * Every domain and datastore file of a run starts with one random prefix, so that cleanup removes
 * exactly those and never what someone else runs on the same lab.
 */
final class RealVmLab {

  static final String A = "lab-a";
  static final String B = "lab-b";

  // dev/lab's fixed addressing: host i listens on 127.0.0.(20+i), port 16520+i
  final String uriA = "qemu+tcp://127.0.0.21:16521/system";
  final String uriB = "qemu+tcp://127.0.0.22:16522/system";
  final Path datastore;
  final Path images;
  final String virtType;
  final String prefix;
  final Path scratch;
  final RealVmVirsh virsh = new RealVmVirsh();

  private RealVmLab(Path datastore, Path images, String virtType, Path scratch) {
    this.datastore = datastore;
    this.images = images;
    this.virtType = virtType;
    this.scratch = scratch;
    this.prefix = "rvb" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  }

  /** The lab of {@code dev/lab env}, or null when that environment is absent. */
  static RealVmLab open(BenchContext ctx) throws IOException {
    String datastore = ctx.lab("VIRTFLUX_LAB_DATASTORE");
    String images = ctx.lab("VIRTFLUX_LAB_GUEST_IMAGES");
    if (datastore == null || images == null) {
      return null;
    }
    String virtType = ctx.lab("VIRTFLUX_LAB_VIRT_TYPE");
    return new RealVmLab(
        Path.of(datastore),
        Path.of(images),
        virtType == null ? "qemu" : virtType,
        ctx.dir("real-vms"));
  }

  /** Fails early, with the fix, when a lab host does not answer. */
  void requireHosts() throws Exception {
    for (String uri : List.of(uriA, uriB)) {
      try {
        virsh.run(uri, "version");
      } catch (IllegalStateException | IOException e) {
        throw new IllegalStateException(
            "lab host " + uri + " does not answer (dev/lab up 2): " + e.getMessage(), e);
      }
    }
  }

  String uri(String host) {
    return host.equals(A) ? uriA : uriB;
  }

  /** A domain name of this run. */
  String name(String suffix) {
    return prefix + "-" + suffix;
  }

  /** The {@code virtflux:} block: both lab hosts, the datastore and the guest images. */
  String yaml() {
    return "virtflux:\n"
        + "  datastores: ["
        + datastore
        + ", "
        + images
        + "]\n"
        + "  hosts:\n"
        + "    - name: "
        + A
        + "\n      uri: "
        + uriA
        + "\n    - name: "
        + B
        + "\n      uri: "
        + uriB
        + "\n";
  }

  /**
   * The deploy request of the lab guest on lab-a: 128 MiB, the lab kernel and initrd, a raw system
   * disk in the datastore, a user-mode NIC, and no heartbeat lines on the console.
   */
  String deployBody(String vm) {
    return """
    {"host": "%s", "template": {"name": "%s", "memory": 128, "cpu": 1,
     "os": {"kernel": "%s", "initrd": "%s",
            "kernelCmd": "console=ttyS0 panic=-1 labguest.quiet=1"},
     "disks": [{"source": "%s", "devPrefix": "vd"}],
     "nics": [{"type": "user", "model": "virtio"}]}}
    """
        .formatted(A, vm, images.resolve("vmlinuz"), images.resolve("initrd.gz"), disk(vm, "vda"));
  }

  /** Where a disk of {@code vm} lives: {@code <datastore>/<vm>-<target>.raw}. */
  Path disk(String vm, String target) {
    return datastore.resolve(vm + "-" + target + ".raw");
  }

  /** Creates the disk as a sparse file: the guest only needs a device, not data. */
  Path createDisk(String vm, String target, long mib) throws IOException {
    Path disk = disk(vm, target);
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(mib << 20);
    }
    return disk;
  }

  RealVmConsole console(String vm) {
    return new RealVmConsole(datastore.resolve(vm + ".serial.log"));
  }

  /** Destroys and undefines {@code vm} on both hosts and deletes its files. */
  void remove(String vm) throws IOException {
    for (String uri : List.of(uriA, uriB)) {
      virsh.quietly(uri, "destroy", vm);
      virsh.quietly(uri, "undefine", vm);
    }
    deleteFiles(vm + "-");
    deleteFiles(vm + ".");
  }

  /**
   * Removes every domain of this run from both hosts, wherever a failure left it (defined, running,
   * or half migrated), and every datastore and scratch file of the run.
   */
  void cleanup() throws IOException {
    for (String uri : List.of(uriA, uriB)) {
      String names;
      try {
        names = virsh.run(uri, "list", "--all", "--name");
      } catch (IllegalStateException | IOException e) {
        System.out.println("   real-vms cleanup: cannot list " + uri + ": " + e.getMessage());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (String vm : names.lines().map(String::trim).toList()) {
        if (vm.startsWith(prefix + "-")) {
          virsh.quietly(uri, "destroy", vm);
          virsh.quietly(uri, "undefine", vm);
        }
      }
    }
    deleteFiles(prefix + "-");
    try (Stream<Path> files = Files.walk(scratch)) {
      for (Path p : files.sorted((x, y) -> y.compareTo(x)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void deleteFiles(String namePrefix) throws IOException {
    try (Stream<Path> files = Files.list(datastore)) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().startsWith(namePrefix)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
