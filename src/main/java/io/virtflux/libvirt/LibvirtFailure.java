package io.virtflux.libvirt;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A libvirt call failed. Carries an RFC 9457 problem with libvirt's error code and message, so that
 * an operation's {@code error} shows what libvirt said, not a Java stack trace.
 */
public class LibvirtFailure extends ErrorResponseException {

  /** Problem type URIs of libvirt failures, one per category the API distinguishes. */
  public static final URI TYPE_UNKNOWN_VM = URI.create("urn:virtflux:problem:unknown-vm");

  public static final URI TYPE_WRONG_STATE = URI.create("urn:virtflux:problem:wrong-state");
  public static final URI TYPE_HOST_OFFLINE = URI.create("urn:virtflux:problem:host-offline");
  public static final URI TYPE_REJECTED = URI.create("urn:virtflux:problem:libvirt-rejected");
  public static final URI TYPE_FAILED = URI.create("urn:virtflux:problem:libvirt-failed");

  private final String code;

  public LibvirtFailure(
      HttpStatus status,
      URI type,
      String title,
      String host,
      String code,
      String message,
      @Nullable Throwable cause) {
    super(status, problem(status, type, title, host, code, message), cause);
    this.code = code;
  }

  private static ProblemDetail problem(
      HttpStatus status, URI type, String title, String host, String code, String message) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
    problem.setType(type);
    problem.setTitle(title);
    problem.setProperty("host", host);
    problem.setProperty("libvirtCode", code);
    problem.setProperty("libvirtMessage", message);
    return problem;
  }

  /** libvirt's error number name, e.g. {@code VIR_ERR_NO_DOMAIN}. */
  public String code() {
    return code;
  }

  /** Whether this failure means the host could not be reached (the caller marks it OFFLINE). */
  public boolean hostOffline() {
    return getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value();
  }

  @Override
  public String getMessage() {
    String detail = getBody().getDetail();
    return code + ": " + (detail == null ? "" : detail);
  }
}
