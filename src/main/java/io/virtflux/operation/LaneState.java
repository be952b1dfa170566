package io.virtflux.operation;

/**
 * A snapshot of one host's lane, as the host API shows it.
 *
 * @param limit how many operations the lane admits at once ({@link LaneLimits#maxRunning})
 * @param running operations holding a slot now
 * @param queued operations waiting for a slot
 */
public record LaneState(int limit, int running, int queued) {}
