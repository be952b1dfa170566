package io.virtflux.bench;

final class RealVmsScenario implements Scenario {

  @Override
  public String id() {
    return "real-vms";
  }

  @Override
  public String title() {
    return "RealVms";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    throw new UnsupportedOperationException("TODO");
  }
}
