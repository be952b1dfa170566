package io.virtflux.libvirt;

import java.util.EnumSet;
import java.util.Set;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.springframework.http.HttpStatus;

/** The one place where libvirt's error numbers become the few failures the API tells apart. */
final class LibvirtErrors {

  private static final Set<ErrorNumber> UNKNOWN_VM =
      EnumSet.of(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorNumber.VIR_ERR_INVALID_DOMAIN);

  private static final Set<ErrorNumber> WRONG_STATE =
      EnumSet.of(
          ErrorNumber.VIR_ERR_OPERATION_INVALID,
          ErrorNumber.VIR_ERR_DOM_EXIST,
          ErrorNumber.VIR_ERR_RESOURCE_BUSY,
          ErrorNumber.VIR_ERR_OPERATION_DENIED,
          ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE);

  /** The connection is gone or was never there: the host is offline, the call may be retried. */
  private static final Set<ErrorNumber> CONNECTION =
      EnumSet.of(
          ErrorNumber.VIR_ERR_NO_CONNECT,
          ErrorNumber.VIR_ERR_INVALID_CONN,
          ErrorNumber.VIR_ERR_RPC,
          ErrorNumber.VIR_ERR_AUTH_FAILED,
          ErrorNumber.VIR_ERR_AUTH_UNAVAILABLE,
          ErrorNumber.VIR_ERR_UNKNOWN_HOST,
          ErrorNumber.VIR_ERR_NO_SERVER,
          ErrorNumber.VIR_ERR_GNUTLS_ERROR,
          ErrorNumber.VIR_ERR_SSH,
          ErrorNumber.VIR_ERR_LIBSSH);

  private static final Set<ErrorNumber> REJECTED =
      EnumSet.of(
          ErrorNumber.VIR_ERR_XML_ERROR,
          ErrorNumber.VIR_ERR_XML_DETAIL,
          ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA,
          ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
          ErrorNumber.VIR_ERR_INVALID_ARG,
          ErrorNumber.VIR_ERR_NO_SUPPORT,
          ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
          ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
          ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE,
          ErrorNumber.VIR_ERR_MIGRATE_UNSAFE);

  private LibvirtErrors() {}

  static LibvirtFailure map(String host, LibvirtException e) {
    ErrorNumber code = e.getError() == null ? ErrorNumber.VIR_ERR_UNKNOWN : e.getError().getCode();
    String message =
        e.getError() == null ? String.valueOf(e.getMessage()) : e.getError().getMessage();
    if (message == null) {
      message = code.name();
    }
    if (UNKNOWN_VM.contains(code)) {
      return new LibvirtFailure(
          HttpStatus.NOT_FOUND,
          LibvirtFailure.TYPE_UNKNOWN_VM,
          "Unknown VM",
          host,
          code.name(),
          message,
          e);
    }
    if (WRONG_STATE.contains(code) || alreadyExists(code, message)) {
      return new LibvirtFailure(
          HttpStatus.CONFLICT,
          LibvirtFailure.TYPE_WRONG_STATE,
          "VM is in the wrong state",
          host,
          code.name(),
          message,
          e);
    }
    if (isConnectionLoss(code, message)) {
      return offline(host, code.name(), message, e);
    }
    if (REJECTED.contains(code)) {
      return new LibvirtFailure(
          HttpStatus.UNPROCESSABLE_CONTENT,
          LibvirtFailure.TYPE_REJECTED,
          "libvirt rejected the request",
          host,
          code.name(),
          message,
          e);
    }
    return new LibvirtFailure(
        HttpStatus.BAD_GATEWAY,
        LibvirtFailure.TYPE_FAILED,
        "libvirt call failed",
        host,
        code.name(),
        message,
        e);
  }

  static LibvirtFailure offline(String host, String code, String message, Throwable cause) {
    return new LibvirtFailure(
        HttpStatus.SERVICE_UNAVAILABLE,
        LibvirtFailure.TYPE_HOST_OFFLINE,
        "Host offline",
        host,
        code,
        withHint(message),
        cause);
  }

  /**
   * libvirt's message, with what it means where libvirt's own words do not say it: a TLS host that
   * refuses the service's client certificate only closes the connection ("Unable to read TLS
   * confirmation"), ssh's refusal of an unknown host key reaches libvirt as a dead socket, and
   * libssh says it has no one to ask whether to accept the key.
   */
  static String withHint(String libvirtMessage) {
    // ssh's stderr comes in several lines: one line reads better in the API and in logs
    String message = libvirtMessage.strip().replaceAll("\\s*\\R\\s*", " ");
    if (message.contains("Unable to read TLS confirmation")) {
      return message
          + " (the host refused the service's client certificate: it is not signed by a CA the"
          + " host trusts, or the host's tls_allowed_dn_list does not list it;"
          + " virtflux.libvirt.tls.pki-path)";
    }
    if (message.contains("Host key verification failed") // ssh
        || message.contains("you have requested strict checking") // ssh, unknown key
        || message.contains("Can't verify the session host key") // libssh: it would have asked
        || message.contains("no suitable callback for host key verification")) { // libssh2
      return message
          + " (the host's ssh key is not in the known_hosts file, or differs from it;"
          + " virtflux.libvirt.ssh.known-hosts)";
    }
    return message;
  }

  /** QEMU's driver reports a name clash on define as a generic failure. */
  private static boolean alreadyExists(ErrorNumber code, String message) {
    return code == ErrorNumber.VIR_ERR_OPERATION_FAILED && message.contains("already exists");
  }

  /**
   * A VIR_ERR_SYSTEM_ERROR is usually a dead socket ("Cannot recv data", "End of file while reading
   * data"), but also a guest-side failure such as a missing disk image: only the former means the
   * host is gone.
   */
  static boolean isConnectionLoss(ErrorNumber code, String message) {
    if (CONNECTION.contains(code)) {
      return true;
    }
    if (code != ErrorNumber.VIR_ERR_SYSTEM_ERROR && code != ErrorNumber.VIR_ERR_INTERNAL_ERROR) {
      return false;
    }
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("cannot recv data")
        || m.contains("end of file while reading")
        || m.contains("unable to connect to server")
        || m.contains("cannot write data")
        || m.contains("client socket is closed")
        // libvirt's keepalive gave up on a daemon that stopped answering (hung or frozen)
        || m.contains("keepalive timeout")
        || m.contains("connection reset");
  }

  /** Whether {@code e} says the domain does not exist (any more). */
  static boolean isUnknownDomain(LibvirtException e) {
    return e.getError() != null && UNKNOWN_VM.contains(e.getError().getCode());
  }
}
