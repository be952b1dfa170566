package io.virtflux.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virtflux.libvirt.MigrationProgress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A migration job's statistics as clients see them, in the operation's progress while it runs and
 * in its result once completed. Sizes in bytes, times in milliseconds; what libvirt did not report
 * is left out.
 *
 * @param elapsedMs how long the job has run
 * @param dataTotal everything to copy
 * @param dataProcessed what was copied
 * @param dataRemaining what is left to copy
 * @param memoryIteration the pre-copy pass over guest memory (1 = first full copy)
 * @param downtimeMs the guest's pause at switch-over, once known
 * @param percent dataProcessed of dataTotal, when both are known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MigrationJobStats(
    @Nullable Long elapsedMs,
    @Nullable Long dataTotal,
    @Nullable Long dataProcessed,
    @Nullable Long dataRemaining,
    @Nullable Long memoryIteration,
    @Nullable Long downtimeMs,
    @Nullable Long percent) {

  static MigrationJobStats of(MigrationProgress p) {
    Long percent =
        p.dataTotal() != null && p.dataTotal() > 0 && p.dataProcessed() != null
            ? Math.min(100, p.dataProcessed() * 100 / p.dataTotal())
            : null;
    return new MigrationJobStats(
        p.elapsedMs(),
        p.dataTotal(),
        p.dataProcessed(),
        p.dataRemaining(),
        p.memoryIteration(),
        p.downtimeMs(),
        percent);
  }

  /** No statistics: libvirt reported none for the completed job. */
  static MigrationJobStats none() {
    return new MigrationJobStats(null, null, null, null, null, null, null);
  }

  /** The operation's progress: the same fields, as the map the pipeline publishes. */
  Map<String, Object> asProgress() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "elapsedMs", elapsedMs);
    put(m, "dataTotal", dataTotal);
    put(m, "dataProcessed", dataProcessed);
    put(m, "dataRemaining", dataRemaining);
    put(m, "memoryIteration", memoryIteration);
    put(m, "downtimeMs", downtimeMs);
    put(m, "percent", percent);
    return m;
  }

  private static void put(Map<String, Object> m, String key, @Nullable Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
