package io.virtflux.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The configured credential files, checked at start-up, and the URI the service connects with: a
 * host's URI plus the libvirt URI parameters that point libvirt at those files. A host's own URI
 * never carries them (the host package refuses such URIs), and is what the API shows and what a
 * peer-to-peer migration hands to the source host, which has files of its own.
 *
 * <ul>
 *   <li>{@code qemu+tls://}, {@code qemu://host/}: {@code pkipath=}
 *   <li>{@code qemu+libssh://}, {@code qemu+libssh2://}: {@code keyfile=}, {@code known_hosts=}
 *   <li>{@code qemu+ssh://} (the {@code ssh} program): {@code keyfile=} and {@code no_tty=1};
 *       libvirt has no known_hosts parameter for it, so with a known_hosts file configured, {@code
 *       command=} names a two-line script the service writes at start-up that runs ssh with {@code
 *       -o UserKnownHostsFile=… -o StrictHostKeyChecking=yes}
 * </ul>
 */
@Component
public final class LibvirtCredentials {

  private static final Logger log = LoggerFactory.getLogger(LibvirtCredentials.class);

  /** The TLS files libvirt's {@code pkipath} must hold (client side). */
  static final List<String> PKI_FILES = List.of("cacert.pem", "clientcert.pem", "clientkey.pem");

  private final @Nullable Path pkiPath;
  private final @Nullable Path keyFile;
  private final @Nullable Path knownHosts;
  private final @Nullable Path sshCommand;

  /**
   * Checks the configured files and, with a known_hosts file, writes the ssh script.
   *
   * @throws IllegalStateException naming the property and the file when one is missing or
   *     unreadable: the service does not start
   */
  @Autowired
  public LibvirtCredentials(LibvirtCredentialsProperties properties) {
    this(properties, null);
  }

  /**
   * @param scriptDir where the qemu+ssh script goes; null: a new private directory under {@code
   *     java.io.tmpdir}
   */
  LibvirtCredentials(LibvirtCredentialsProperties properties, @Nullable Path scriptDir) {
    this.pkiPath = pkiPath(properties.tls().pkiPath());
    this.keyFile = file("virtflux.libvirt.ssh.key-file", properties.ssh().keyFile());
    this.knownHosts = file("virtflux.libvirt.ssh.known-hosts", properties.ssh().knownHosts());
    this.sshCommand = knownHosts == null ? null : writeSshCommand(knownHosts, keyFile, scriptDir);
    if (pkiPath != null || keyFile != null || knownHosts != null) {
      log.info(
          "libvirt credentials: TLS pkipath {}, ssh key {}, ssh known_hosts {}",
          pkiPath,
          keyFile,
          knownHosts);
    }
  }

  /** No files configured: every URI is used as it is, but for qemu+ssh's {@code no_tty=1}. */
  public static LibvirtCredentials none() {
    return new LibvirtCredentials(LibvirtCredentialsProperties.none(), null);
  }

  /**
   * The URI to open: {@code uri} with the parameters of the configured files for its transport.
   * {@code uri} has been checked by the host package (parses, no credential parameters of its own).
   */
  public String connectUri(String uri) {
    String scheme = String.valueOf(URI.create(uri).getScheme()).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    switch (scheme) {
      case "qemu+tls" -> tls(params);
      case "qemu" -> {
        if (URI.create(uri).getHost() != null) {
          tls(params); // qemu://host/ is TLS
        }
      }
      case "qemu+ssh" -> {
        // a service has no terminal: never let ssh wait for a password or a yes/no
        params.put("no_tty", "1");
        if (keyFile != null) {
          params.put("keyfile", keyFile.toString());
        }
        if (sshCommand != null) {
          params.put("command", sshCommand.toString());
        }
      }
      case "qemu+libssh", "qemu+libssh2" -> {
        if (keyFile != null) {
          params.put("keyfile", keyFile.toString());
        }
        if (knownHosts != null) {
          params.put("known_hosts", knownHosts.toString());
        }
      }
      default -> {
        // unix, tcp, local, test: nothing to authenticate with
      }
    }
    if (params.isEmpty()) {
      return uri;
    }
    StringBuilder b =
        new StringBuilder(uri).append(URI.create(uri).getRawQuery() == null ? '?' : '&');
    List<String> pairs = new ArrayList<>();
    params.forEach((k, v) -> pairs.add(k + "=" + escape(v)));
    return b.append(String.join("&", pairs)).toString();
  }

  private void tls(Map<String, String> params) {
    if (pkiPath != null) {
      params.put("pkipath", pkiPath.toString());
    }
  }

  /** URI-escapes a parameter value (libvirt unescapes it): all but unreserved characters and /. */
  static String escape(String value) {
    StringBuilder b = new StringBuilder();
    for (byte c : value.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  private static @Nullable Path pkiPath(@Nullable Path dir) {
    String property = "virtflux.libvirt.tls.pki-path";
    if (dir == null || dir.toString().isEmpty()) {
      return null; // unset, or set to nothing (an empty environment variable)
    }
    Path abs = absolute(property, dir);
    if (!Files.isDirectory(abs)) {
      throw new IllegalStateException(
          property + "=" + dir + ": not a directory (it must hold " + PKI_FILES + ")");
    }
    for (String f : PKI_FILES) {
      Path p = abs.resolve(f);
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalStateException(
            property
                + "="
                + dir
                + ": "
                + p
                + (Files.exists(p) ? " is not a readable file" : " is missing")
                + " (libvirt's pkipath needs "
                + String.join(", ", PKI_FILES)
                + ")");
      }
    }
    return abs;
  }

  private static @Nullable Path file(String property, @Nullable Path file) {
    if (file == null || file.toString().isEmpty()) {
      return null; // unset, or set to nothing (an empty environment variable)
    }
    Path abs = absolute(property, file);
    if (!Files.isRegularFile(abs)) {
      throw new IllegalStateException(
          property + "=" + file + ": " + (Files.exists(abs) ? "not a file" : "no such file"));
    }
    if (!Files.isReadable(abs)) {
      throw new IllegalStateException(property + "=" + file + ": not readable by the service");
    }
    return abs;
  }

  private static Path absolute(String property, Path p) {
    String s = p.toString();
    // ssh reads UserKnownHostsFile as a list split at blanks and expands % in it; the ssh script
    // quotes the path in single quotes
    for (char c : s.toCharArray()) {
      if (Character.isWhitespace(c)
          || c == '%'
          || c == '\''
          || c == '"'
          || Character.isISOControl(c)) {
        throw new IllegalStateException(
            property + "=" + p + ": blanks, quotes and % are not supported in this path");
      }
    }
    return p.toAbsolutePath().normalize();
  }

  /**
   * The script libvirt runs instead of ssh for qemu+ssh: ssh with the configured known_hosts as the
   * only one, unknown keys refused (no prompt, no trust on first use), nothing written back.
   */
  private static Path writeSshCommand(Path knownHosts, @Nullable Path keyFile, @Nullable Path dir) {
    try {
      Path d =
          dir != null
              ? dir
              : Files.createTempDirectory(
                  "virtflux-ssh-",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------")));
      if (dir == null) {
        // deleted in reverse order: the script, then its directory
        d.toFile().deleteOnExit();
      }
      Path script = d.resolve("ssh");
      String ssh = sshProgram();
      String text =
          "#!/bin/sh\n"
              + "# written by virtflux: libvirt's qemu+ssh transport runs this in place of ssh\n"
              + "exec '"
              + ssh
              + "' -o 'UserKnownHostsFile="
              + knownHosts
              + "' -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes"
              + " -o UpdateHostKeys=no"
              + (keyFile == null ? "" : " -o IdentitiesOnly=yes")
              + " \"$@\"\n";
      Files.writeString(script, text);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
      if (dir == null) {
        script.toFile().deleteOnExit();
      }
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the ssh script for virtflux.libvirt.ssh.known-hosts: " + e.getMessage(), e);
    }
  }

  /** ssh from PATH, resolved once: the script runs with libvirt's reduced environment. */
  private static String sshProgram() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, "ssh");
        if (p.isAbsolute() && Files.isExecutable(p) && !p.toString().contains("'")) {
          return p.toString();
        }
      }
    }
    return "ssh";
  }
}
