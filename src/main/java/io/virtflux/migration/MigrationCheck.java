package io.virtflux.migration;

import java.util.List;

/**
 * The answer of the dry run: whether a migration would be allowed now, and every reason it would
 * not (or might not) be.
 *
 * @param problems what stops the migration
 * @param warnings what would need {@code unsafe} or {@code copyStorage}, or could fail at libvirt
 */
public record MigrationCheck(
    String vm,
    String source,
    String destination,
    boolean allowed,
    List<String> problems,
    List<String> warnings) {}
