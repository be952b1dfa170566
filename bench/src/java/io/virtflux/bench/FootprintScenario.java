package io.virtflux.bench;

final class FootprintScenario implements Scenario {

  @Override
  public String id() {
    return "footprint";
  }

  @Override
  public String title() {
    return "Footprint";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    throw new UnsupportedOperationException("TODO");
  }
}
