package io.virtflux.bench;

final class ManyHostsScenario implements Scenario {

  @Override
  public String id() {
    return "hosts";
  }

  @Override
  public String title() {
    return "ManyHosts";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    throw new UnsupportedOperationException("TODO");
  }
}
