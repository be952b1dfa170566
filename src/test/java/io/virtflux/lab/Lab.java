package io.virtflux.lab;

import com.github.dockerjava.api.model.Capability;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The integration-test lab: real libvirtd hosts started once per test JVM by Testcontainers from
 * the image that {@code dev/lab setup} builds, plus the tiny guest (kernel + busybox initramfs). A
 * test that needs the lab fails, never skips, when the lab is missing: run it through {@code
 * dev/test}.
 */
public final class Lab {

  /**
   * Hosts 127.0.0.61-.63: outside the block dev/lab up uses (127.0.0.21-.46), so both can run at
   * once.
   */
  private static final int HOSTS = 3;

  private static final String IMAGE = env("VIRTFLUX_LAB_IMAGE");
  private static final String VIRT_TYPE = env("VIRTFLUX_LAB_VIRT_TYPE");
  private static final Path DATASTORE = Path.of(env("VIRTFLUX_LAB_DATASTORE"));
  private static final Path IMAGES = Path.of(env("VIRTFLUX_LAB_GUEST_IMAGES"));

  private static List<LabHost> hosts;

  private Lab() {}

  /** Starts the lab hosts (once per JVM) and returns them. */
  public static synchronized List<LabHost> hosts() {
    if (hosts == null) {
      hosts = start();
    }
    return hosts;
  }

  /** kvm when the lab's boot probe found working KVM, qemu (TCG) otherwise. */
  public static String virtType() {
    return VIRT_TYPE;
  }

  /** Directory shared by all hosts at the same path: disks, serial logs, saved states. */
  public static Path datastore() {
    return DATASTORE;
  }

  public static Path kernel() {
    return IMAGES.resolve("vmlinuz");
  }

  public static Path initrd() {
    return IMAGES.resolve("initrd.gz");
  }

  public static Path imagesDir() {
    return IMAGES;
  }

  private static List<LabHost> start() {
    if (!Files.isRegularFile(kernel()) || !Files.isRegularFile(initrd())) {
      throw new IllegalStateException(
          "the lab guest is missing under " + IMAGES + ": run the suite through dev/test");
    }
    List<LabHost> started = new ArrayList<>();
    List<GenericContainer<?>> containers = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> containers.forEach(GenericContainer::stop), "lab-stop"));
    for (int i = 0; i < HOSTS; i++) {
      LabHost h = host(i);
      GenericContainer<?> c = container(h);
      containers.add(c);
      started.add(h);
    }
    containers.parallelStream().forEach(GenericContainer::start);
    return List.copyOf(started);
  }

  /** Lab host number {@code i} (0 = it-a): its address, port, UUID and migration ports. */
  public static LabHost host(int i) {
    char letter = (char) ('a' + i);
    return new LabHost(
        "it-" + letter,
        "127.0.0." + (61 + i),
        16561 + i,
        String.format("7e57ab00-0000-4000-8000-%012d", 41 + i),
        50161 + 20 * i);
  }

  /**
   * Starts a host of its own for a test that stops or kills it (the shared hosts must stay up); the
   * caller stops it.
   */
  public static GenericContainer<?> startOwn(LabHost h) {
    GenericContainer<?> c = container(h);
    c.start();
    return c;
  }

  /**
   * Sends {@code signal} (STOP, CONT, KILL, ...) to the libvirtd of a lab host's container: how a
   * test freezes, thaws or kills a host.
   */
  public static void signalLibvirtd(GenericContainer<?> host, String signal) {
    try {
      var result = host.execInContainer("sh", "-c", "kill -" + signal + " $(pidof libvirtd)");
      if (result.getExitCode() != 0) {
        throw new IllegalStateException("kill -" + signal + " libvirtd: " + result.getStderr());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("kill -" + signal + " libvirtd", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("kill -" + signal + " libvirtd", e);
    }
  }

  /**
   * A host of its own, not started yet, for a test that configures it further (e.g. TLS_PORT,
   * SSH_PORT: see docker/libvirt-host/entrypoint.sh); the caller starts and stops it.
   */
  public static GenericContainer<?> ownContainer(LabHost h) {
    return container(h);
  }

  @SuppressWarnings("resource")
  private static GenericContainer<?> container(LabHost h) {
    GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withNetworkMode("host")
            .withImagePullPolicy(image -> false)
            .withLabel("virtflux.lab", "it")
            .withEnv(
                Map.of(
                    "HOST_NAME", "virtflux-" + h.name(),
                    "LISTEN_ADDR", h.ip(),
                    "TCP_PORT", String.valueOf(h.port()),
                    "HOST_UUID", h.uuid(),
                    "MIGRATION_PORT_MIN", String.valueOf(h.migrationPortMin()),
                    "MIGRATION_PORT_MAX", String.valueOf(h.migrationPortMax())))
            .withFileSystemBind(DATASTORE.toString(), DATASTORE.toString(), BindMode.READ_WRITE)
            .withFileSystemBind(IMAGES.toString(), IMAGES.toString(), BindMode.READ_ONLY)
            .withCreateContainerCmdModifier(
                cmd -> {
                  cmd.withHostName("virtflux-" + h.name());
                  // --privileged fails here (no CAP_SYS_RESOURCE in the bounding set)
                  cmd.getHostConfig()
                      .withCapAdd(Capability.ALL)
                      .withCapDrop(Capability.SYS_RESOURCE)
                      .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"));
                  if ("kvm".equals(VIRT_TYPE)) {
                    cmd.getHostConfig()
                        .withDevices(com.github.dockerjava.api.model.Device.parse("/dev/kvm"));
                  }
                })
            .waitingFor(new TcpOpen(h.ip(), h.port()))
            .withStartupTimeout(Duration.ofSeconds(90));
    return c;
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(
          name + " is not set: the integration tests need the lab; run them through dev/test");
    }
    return v;
  }

  /** With host networking there are no mapped ports: wait until libvirtd accepts TCP. */
  private static final class TcpOpen extends AbstractWaitStrategy {
    private final String ip;
    private final int port;

    TcpOpen(String ip, int port) {
      this.ip = ip;
      this.port = port;
    }

    @Override
    protected void waitUntilReady() {
      long deadline = System.nanoTime() + startupTimeout.toNanos();
      while (System.nanoTime() < deadline) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(ip, port), 500);
          return;
        } catch (IOException e) {
          try {
            Thread.sleep(100);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      throw new IllegalStateException("libvirtd on " + ip + ":" + port + " did not open");
    }
  }
}
