package io.virtflux.host;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a host's URI may ask of libvirt's remote driver. Its query parameters reach libvirt as they
 * are, and some are not the URI author's to choose: {@code command=} runs a program on the
 * service's machine, {@code netcat=} one on the host, {@code no_verify=} and friends switch off
 * certificate or host key checks, and the credential files ({@code pkipath=}, {@code keyfile=},
 * {@code known_hosts=}) are the service's configuration ({@code virtflux.libvirt.*}). So only a
 * short list of harmless parameters per transport is accepted, with checked values; everything else
 * is refused.
 */
final class UriParameters {

  private static final Pattern SOCKET = Pattern.compile("/[A-Za-z0-9._/-]{0,200}");
  private static final Pattern MODE = Pattern.compile("auto|direct|legacy");
  private static final Pattern PROXY = Pattern.compile("auto|native|netcat");
  private static final Pattern SSHAUTH =
      Pattern.compile(
          "(agent|privkey|password|keyboard-interactive)(,(agent|privkey|password|keyboard-interactive))*");

  /** The parameters each transport accepts, and what their values must look like. */
  private static final Map<Transport, Map<String, Pattern>> ACCEPTED =
      Map.of(
          Transport.LOCAL, Map.of("socket", SOCKET, "mode", MODE),
          Transport.UNIX, Map.of("socket", SOCKET, "mode", MODE),
          Transport.SSH, Map.of("socket", SOCKET, "mode", MODE, "proxy", PROXY, "sshauth", SSHAUTH),
          Transport.TCP, Map.of(),
          Transport.TLS, Map.of(),
          Transport.TEST, Map.of());

  private static final Set<String> CREDENTIALS = Set.of("pkipath", "keyfile", "known_hosts");

  private static final Set<String> PROGRAMS = Set.of("command", "netcat");

  private static final Set<String> CHECKS =
      Set.of("no_verify", "no_tty", "known_hosts_verify", "tls_priority");

  private UriParameters() {}

  /**
   * @throws IllegalArgumentException saying which parameter is not accepted, and why
   */
  static void check(Transport transport, String uri) {
    URI parsed = URI.create(uri);
    if (parsed.getRawFragment() != null) {
      throw new IllegalArgumentException("a libvirt URI has no #fragment");
    }
    if (parsed.getRawAuthority() != null && parsed.getHost() == null) {
      // e.g. qemu+ssh://-oProxyCommand=…/system: not a host name, and ssh would read it as an
      // option
      throw new IllegalArgumentException(
          "'" + parsed.getRawAuthority() + "' is not a host name, IP address or [IPv6 address]");
    }
    if (parsed.getHost() != null && parsed.getHost().startsWith("-")) {
      throw new IllegalArgumentException("a host name never starts with '-'");
    }
    String userInfo = parsed.getUserInfo();
    if (userInfo != null && (userInfo.startsWith("-") || userInfo.contains(":"))) {
      throw new IllegalArgumentException(
          "the URI's user must be a plain user name (no password, not starting with '-')");
    }
    String query = parsed.getRawQuery();
    if (query == null || query.isEmpty()) {
      return;
    }
    Map<String, Pattern> accepted = ACCEPTED.get(transport);
    // libvirt splits parameters at & and ; and unescapes names and values; it matches names
    // ignoring case
    for (String pair : query.split("[&;]")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = unescape(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
      if (CREDENTIALS.contains(name)) {
        throw new IllegalArgumentException(
            "URI parameter '"
                + name
                + "' is not accepted: the service's credential files are its configuration"
                + " (virtflux.libvirt.tls.pki-path, virtflux.libvirt.ssh.key-file,"
                + " virtflux.libvirt.ssh.known-hosts), never a host's URI");
      }
      if (PROGRAMS.contains(name)) {
        throw new IllegalArgumentException(
            "URI parameter '"
                + name
                + "' is not accepted: it would run a program of the URI author's choosing");
      }
      if (CHECKS.contains(name)) {
        throw new IllegalArgumentException(
            "URI parameter '"
                + name
                + "' is not accepted: the service sets how certificates and host keys are checked");
      }
      Pattern valid = accepted.get(name);
      if (valid == null) {
        throw new IllegalArgumentException(
            "URI parameter '"
                + name
                + "' is not accepted"
                + (accepted.isEmpty()
                    ? ": this URI takes no parameters"
                    : " (this URI takes: " + String.join(", ", sorted(accepted.keySet())) + ")"));
      }
      if (!valid.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "URI parameter '" + name + "=" + value + "' is not accepted: must match " + valid);
      }
    }
  }

  private static List<String> sorted(Set<String> names) {
    List<String> l = new ArrayList<>(names);
    l.sort(null);
    return l;
  }

  /** %XX unescaping as libvirt's (libxml2's) does it: no '+' for blank. */
  static String unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
        i += 2;
      } else {
        out.write(in[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
