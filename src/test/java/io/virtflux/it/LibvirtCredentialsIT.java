package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;

/**
 * The service's credential files ({@code virtflux.libvirt.tls.pki-path}, {@code
 * virtflux.libvirt.ssh.key-file}, {@code virtflux.libvirt.ssh.known-hosts}) against a lab host of
 * its own that also listens for TLS and runs sshd: the right files bring qemu+tls, qemu+ssh and
 * qemu+libssh hosts ONLINE, a client certificate from another CA and an unknown host key leave the
 * host OFFLINE with a reason that says so, no stack trace.
 *
 * <p>Certificates come from the JDK's keytool (a CA, a server certificate with the host's IP as
 * subject alternative name, a client certificate; a second CA and its client certificate for the
 * wrong case), keys are exported to PEM here; the ssh key from ssh-keygen (openssh-client, which
 * qemu+ssh needs anyway), the host key from the container, which makes its own at start.
 */
class LibvirtCredentialsIT extends LabServiceTest {

  private static final LabHost HOST = Lab.host(6); // 127.0.0.67
  private static final int TLS_PORT = 16667;
  private static final int SSH_PORT = 2267;

  private static final String TLS_URI = "qemu+tls://" + HOST.ip() + ":" + TLS_PORT + "/system";
  private static final String SSH_URI = "qemu+ssh://root@" + HOST.ip() + ":" + SSH_PORT + "/system";
  private static final String LIBSSH_URI =
      "qemu+libssh://root@" + HOST.ip() + ":" + SSH_PORT + "/system";

  private static final Duration UNREGISTER_TIMEOUT = Duration.ofSeconds(60);

  @Autowired ConnectionFactory connections;

  private static Path dir;
  private static GenericContainer<?> host;

  @DynamicPropertySource
  static void credentials(DynamicPropertyRegistry registry) throws Exception {
    dir = Files.createTempDirectory("virtflux-credentials-it-");
    Path server = Files.createDirectories(dir.resolve("server"));
    Path pki = Files.createDirectories(dir.resolve("pki"));
    Certificates certs = new Certificates(dir.resolve("keytool"));
    certs.ca("ca");
    certs.ca("rogue-ca");
    certs.signed("server", "ca", "san=ip:" + HOST.ip());
    certs.signed("client", "ca", null);
    certs.signed("rogue-client", "rogue-ca", null);
    certs.pem("ca", server.resolve("cacert.pem"), null);
    certs.pem("server", server.resolve("servercert.pem"), server.resolve("serverkey.pem"));
    // libvirtd (root in the container) reads them through the bind mount
    for (Path f :
        List.of("cacert.pem", "servercert.pem", "serverkey.pem").stream()
            .map(server::resolve)
            .toList()) {
      f.toFile().setReadable(true, false);
    }
    certs.pem("ca", dir.resolve("cacert.pem"), null);
    certs.pem("rogue-ca", dir.resolve("rogue-cacert.pem"), null);
    certs.pem("client", dir.resolve("clientcert.pem"), dir.resolve("clientkey.pem"));
    certs.pem(
        "rogue-client", dir.resolve("rogue-clientcert.pem"), dir.resolve("rogue-clientkey.pem"));
    useClient("client", pki);

    Path key = dir.resolve("id_ed25519");
    run(
        List.of(
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "virtflux-it",
            "-f",
            key.toString()));
    Files.writeString(dir.resolve("known_hosts"), "");

    host =
        Lab.ownContainer(HOST)
            .withEnv("TLS_PORT", String.valueOf(TLS_PORT))
            .withEnv("SSH_PORT", String.valueOf(SSH_PORT))
            .withEnv("SSH_AUTHORIZED_KEYS", Files.readString(dir.resolve("id_ed25519.pub")).strip())
            .withFileSystemBind(server.toString(), "/etc/virtflux-lab/pki", BindMode.READ_ONLY)
            .withLabel("virtflux.lab.it", "LibvirtCredentialsIT");
    host.start();

    registry.add("virtflux.libvirt.tls.pki-path", pki::toString);
    registry.add("virtflux.libvirt.ssh.key-file", key::toString);
    registry.add("virtflux.libvirt.ssh.known-hosts", () -> dir.resolve("known_hosts").toString());
  }

  @AfterAll
  static void stop() throws IOException {
    if (host != null) {
      host.stop();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aTlsHostWithTheConfiguredCertificatesIsOnlineAndSyncs() throws IOException {
    useClient("client", dir.resolve("pki"));
    thenUnregister(
        "it-tls",
        () -> {
          Map<String, Object> h = register("it-tls", TLS_URI);
          assertThat(h.get("state")).as("%s", h).isEqualTo("ONLINE");
          assertThat(h.get("hostname")).isEqualTo("virtflux-" + HOST.name());
          // the API shows the URI as registered, never the service's parameters
          assertThat(h.get("uri")).isEqualTo(TLS_URI);
          api.succeeded(api.submit("/api/v1/hosts/it-tls/sync", null));
          return null;
        });
  }

  @Test
  void aClientCertificateTheHostDoesNotTrustLeavesItOfflineWithAClearReason() throws IOException {
    Path pki = dir.resolve("pki");
    try {
      // the configured CA did not sign the configured client certificate: libvirt says so itself
      useClient("rogue-client", pki);
      String local = offlineReason("it-tls-wrong", TLS_URI);
      assertThat(local).contains("failed validation against");
      // the files agree (the CA file also holds the other CA), but the host trusts only its own
      Files.writeString(
          pki.resolve("cacert.pem"),
          Files.readString(dir.resolve("cacert.pem"))
              + Files.readString(dir.resolve("rogue-cacert.pem")));
      String refused = offlineReason("it-tls-refused", TLS_URI);
      assertThat(refused).contains("the host refused the service's client certificate");
    } finally {
      useClient("client", pki);
    }
  }

  /** Registers the host, expects it OFFLINE with a reason and no stack trace, removes it. */
  private String offlineReason(String name, String uri) {
    return thenUnregister(
        name,
        () -> {
          Map<String, Object> h = register(name, uri);
          assertThat(h.get("state")).as("%s", h).isEqualTo("OFFLINE");
          String reason = String.valueOf(h.get("reason"));
          System.out.println(name + " (" + uri + "): reason = " + reason);
          assertThat(reason).doesNotContain("Exception", "\tat ", "\n");
          return reason;
        });
  }

  @Test
  void sshAndLibsshHostsWithTheConfiguredKeyAndKnownHostsAreOnline() throws Exception {
    knownHosts(true);
    for (String[] h : new String[][] {{"it-ssh", SSH_URI}, {"it-libssh", LIBSSH_URI}}) {
      thenUnregister(
          h[0],
          () -> {
            Map<String, Object> view = register(h[0], h[1]);
            assertThat(view.get("state")).as("%s", view).isEqualTo("ONLINE");
            assertThat(view.get("hostname")).isEqualTo("virtflux-" + HOST.name());
            assertThat(view.get("uri")).isEqualTo(h[1]);
            api.succeeded(api.submit("/api/v1/hosts/" + h[0] + "/sync", null));
            assertThat(api.get("/api/v1/hosts/" + h[0]).get("vms")).isNotNull();
            return null;
          });
    }
  }

  @Test
  void anUnknownHostKeyLeavesTheHostOfflineWithAClearReason() throws Exception {
    knownHosts(false);
    assertThat(offlineReason("it-ssh-unknown", SSH_URI)).contains("known_hosts");
    assertThat(offlineReason("it-libssh-unknown", LIBSSH_URI)).contains("known_hosts");
  }

  @Test
  void aUriThatWouldRunAProgramIsRefused() {
    Map<String, Object> problem =
        api.refused(
            org.springframework.http.HttpMethod.POST,
            "/api/v1/hosts",
            Map.of("name", "it-evil", "uri", SSH_URI + "?command=/bin/sh"),
            400);
    assertThat(String.valueOf(problem.get("detail"))).contains("'command'");
  }

  // ---------------------------------------------------------------------------------------------

  /** Registers the host and waits for its first probe. */
  private Map<String, Object> register(String name, String uri) {
    api.client()
        .post()
        .uri("/api/v1/hosts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", name, "uri", uri))
        .exchange()
        .expectStatus()
        .isCreated();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Map<String, Object> h = api.get("/api/v1/hosts/" + name);
      if (Set.of("ONLINE", "OFFLINE", "ERROR").contains(String.valueOf(h.get("state")))) {
        return h;
      }
      assertThat(System.nanoTime()).as("first probe of %s: %s", name, h).isLessThan(deadline);
      Guests.sleep(200);
    }
  }

  /**
   * Runs {@code body}, then removes the host if it is there (also after a failed assertion: the
   * next test's URI is free). A failing removal never hides the body's failure: it is added to it
   * as suppressed.
   */
  private <T> T thenUnregister(String name, Supplier<T> body) {
    T result;
    try {
      result = body.get();
    } catch (RuntimeException | Error e) {
      try {
        unregister(name);
      } catch (RuntimeException | Error u) {
        e.addSuppressed(u);
      }
      throw e;
    }
    unregister(name);
    return result;
  }

  /**
   * DELETE, which answers within a second (no libvirt call waits on the host); one that does not
   * within {@link #UNREGISTER_TIMEOUT} fails with the stacks of every thread of this JVM, where the
   * service runs, so that the place it waits is in the report.
   */
  private void unregister(String name) {
    try {
      api.client()
          .mutate()
          .responseTimeout(UNREGISTER_TIMEOUT)
          .build()
          .delete()
          .uri("/api/v1/hosts/{h}", name)
          .exchange();
    } catch (IllegalStateException e) {
      StringBuilder threads = new StringBuilder();
      Thread.getAllStackTraces()
          .forEach(
              (t, stack) -> {
                threads.append("\n\"").append(t.getName()).append("\" ").append(t.getState());
                for (StackTraceElement frame : stack) {
                  threads.append("\n\tat ").append(frame);
                }
              });
      throw new AssertionError(
          "DELETE /api/v1/hosts/"
              + name
              + ": no answer within "
              + UNREGISTER_TIMEOUT
              + "; the journal's connection pool: "
              + poolMetrics()
              + "; the same DELETE on a new connection: "
              + againOnANewConnection(name)
              + threads,
          e);
    }
  }

  /** An answer that never comes may wait for a database connection: no thread shows that. */
  private String poolMetrics() {
    if (!(connections instanceof ConnectionPool pool)) {
      return "not pooled: " + connections.getClass().getName();
    }
    return pool.getMetrics()
        .map(
            m ->
                "acquired "
                    + m.acquiredSize()
                    + ", allocated "
                    + m.allocatedSize()
                    + ", idle "
                    + m.idleSize()
                    + ", pending "
                    + m.pendingAcquireSize()
                    + ", max "
                    + m.getMaxAllocatedSize())
        .orElse("no metrics");
  }

  /** Tells a request the service never answers from a client connection that never sent it. */
  private String againOnANewConnection(String name) {
    try {
      var status =
          Api.clientFor("http://localhost:" + port)
              .mutate()
              .responseTimeout(Duration.ofSeconds(15))
              .build()
              .delete()
              .uri("/api/v1/hosts/{h}", name)
              .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
              .exchange()
              .returnResult(Void.class)
              .getStatus();
      return "answered " + status;
    } catch (RuntimeException | Error again) {
      return "no answer either (" + again.getMessage() + ")";
    }
  }

  /** known_hosts with the container's host key for its address and port, or only another host. */
  private static void knownHosts(boolean withTheHost) throws Exception {
    String key = host.execInContainer("cat", "/etc/ssh/ssh_host_ed25519_key.pub").getStdout();
    String[] f = key.strip().split("\\s+");
    String who = withTheHost ? "[" + HOST.ip() + "]:" + SSH_PORT : "[127.0.0.99]:" + SSH_PORT;
    Files.writeString(dir.resolve("known_hosts"), who + " " + f[0] + " " + f[1] + "\n");
  }

  /** Puts the CA and this client's certificate and key where pki-path points. */
  private static void useClient(String client, Path pki) throws IOException {
    Files.copy(
        dir.resolve("cacert.pem"), pki.resolve("cacert.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        dir.resolve(client + "cert.pem"),
        pki.resolve("clientcert.pem"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        dir.resolve(client + "key.pem"),
        pki.resolve("clientkey.pem"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** X.509 certificates made with the JDK's keytool, one PKCS#12 store per key. */
  private static final class Certificates {
    private static final String PASSWORD = "virtflux-it";
    private final Path dir;
    private final String keytool =
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    Certificates(Path dir) throws IOException {
      this.dir = Files.createDirectories(dir);
    }

    private Path store(String name) {
      return dir.resolve(name + ".p12");
    }

    private void keytool(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of(keytool));
      command.addAll(List.of(args));
      command.addAll(List.of("-storepass", PASSWORD, "-keypass", PASSWORD, "-storetype", "PKCS12"));
      run(command);
    }

    private void keyPair(String name, String... extra) throws IOException, InterruptedException {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-genkeypair",
                  "-alias",
                  name,
                  "-keyalg",
                  "RSA",
                  "-keysize",
                  "2048",
                  "-validity",
                  "2",
                  "-dname",
                  "CN=virtflux-it-" + name,
                  "-keystore",
                  store(name).toString()));
      args.addAll(List.of(extra));
      keytool(args.toArray(String[]::new));
    }

    void ca(String name) throws IOException, InterruptedException {
      keyPair(name, "-ext", "bc:c");
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          name,
          "-keystore",
          store(name).toString(),
          "-file",
          dir.resolve(name + ".pem").toString());
    }

    /** A key pair whose certificate {@code ca} signed (with the extension, if any). */
    void signed(String name, String ca, String extension) throws IOException, InterruptedException {
      keyPair(name);
      Path csr = dir.resolve(name + ".csr");
      keytool(
          "-certreq", "-alias", name, "-keystore", store(name).toString(), "-file", csr.toString());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "-gencert",
                  "-rfc",
                  "-validity",
                  "2",
                  "-alias",
                  ca,
                  "-keystore",
                  store(ca).toString(),
                  "-infile",
                  csr.toString(),
                  "-outfile",
                  dir.resolve(name + ".pem").toString()));
      if (extension != null) {
        args.addAll(List.of("-ext", extension));
      }
      keytool(args.toArray(String[]::new));
    }

    /** Writes {@code name}'s certificate, and its key (unencrypted PKCS#8 PEM) if asked. */
    void pem(String name, Path cert, Path key) throws Exception {
      Files.copy(dir.resolve(name + ".pem"), cert, StandardCopyOption.REPLACE_EXISTING);
      if (key != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store(name))) {
          ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey k = (PrivateKey) ks.getKey(name, PASSWORD.toCharArray());
        String body =
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(k.getEncoded());
        Files.writeString(
            key, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
      }
    }
  }
}
