package io.virtflux.bench;

/** The JVM options the service runs with in the image and under dev/run (kept in step by hand). */
final class ServiceJvm {

  static final String OPTIONS = "";

  private ServiceJvm() {}
}
