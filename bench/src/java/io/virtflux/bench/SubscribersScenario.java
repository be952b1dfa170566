package io.virtflux.bench;

final class SubscribersScenario implements Scenario {

  @Override
  public String id() {
    return "subscribers";
  }

  @Override
  public String title() {
    return "Subscribers";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    throw new UnsupportedOperationException("TODO");
  }
}
