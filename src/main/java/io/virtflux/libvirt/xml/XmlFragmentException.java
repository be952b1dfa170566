package io.virtflux.libvirt.xml;

/** A RAW fragment that is not well-formed XML, or uses what the fragment model refuses. */
public class XmlFragmentException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public XmlFragmentException(String message) {
    super(message);
  }

  public XmlFragmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
