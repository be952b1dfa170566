package io.virtflux.vm.template;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Host paths named by a template (disk sources, kernel, initrd, console log) must be normalized
 * absolute paths strictly below a datastore root, so a template cannot point QEMU, running as root,
 * at {@code /etc/shadow}. Symlinks are not resolved: the service does not see the host's file
 * system.
 */
public final class DatastorePaths {

  private DatastorePaths() {}

  /** What is wrong with {@code path}, or {@code null} when it is acceptable. */
  public static @Nullable String problem(@Nullable String path, List<Path> roots) {
    if (path == null || path.isBlank()) {
      return "must not be blank";
    }
    if (SafeNames.hasControlCharacters(path)) {
      return "must not contain control characters";
    }
    if (!path.startsWith("/")) {
      return "must be an absolute path";
    }
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException ex) {
      return "is not a valid path";
    }
    // Path.of drops "//" and a trailing "/"; normalize() drops "." and "..": any change means the
    // text is not in canonical form.
    if (!p.normalize().toString().equals(path)) {
      return "must be a normalized path (no '.', '..', '//' or trailing '/')";
    }
    for (Path root : roots) {
      if (p.startsWith(root) && !p.equals(root)) {
        return null;
      }
    }
    return "must be under a datastore " + roots;
  }
}
