package io.virtflux.bench;

/** One benchmark scenario: runs the service and its baseline in the same run and reports both. */
interface Scenario {

  /** Short id, used in result file names: overhead, hosts, subscribers, real-vms, footprint. */
  String id();

  String title();

  /** Runs the scenario at the size the mode asks for. */
  ScenarioResult run(BenchContext context) throws Exception;
}
