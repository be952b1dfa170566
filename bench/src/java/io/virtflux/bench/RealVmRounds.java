package io.virtflux.bench;

/**
 * Runs a step's rounds with virsh and the service taking turns at going first, so that whatever
 * drifts during the run (the other load on the machine, the lab hosts' caches, the guest's age)
 * hits both sides alike. Warm-up rounds run first and are not recorded.
 */
final class RealVmRounds {

  /** One side's part of a round. */
  interface Side {
    /**
     * @param round the round's index, counting warm-up rounds (unique, for names)
     * @param timed false in a warm-up round: do the work, record nothing
     */
    void run(int round, boolean timed) throws Exception;
  }

  private RealVmRounds() {}

  static void alternate(int warmup, int rounds, Side virsh, Side service) throws Exception {
    for (int round = 0; round < warmup + rounds; round++) {
      boolean timed = round >= warmup;
      if (round % 2 == 0) {
        virsh.run(round, timed);
        service.run(round, timed);
      } else {
        service.run(round, timed);
        virsh.run(round, timed);
      }
    }
  }
}
