package io.virtflux.host;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps hosts registered through the API in the journal's database, so that a restart does not
 * forget them, and (with several replicas) the owners' readings of their hosts. Runs on a thread of
 * its own: H2's R2DBC driver does its disk I/O on the subscribing thread (never an event loop), and
 * an interrupted H2 thread closes the file, so this is a plain executor that never interrupts (see
 * the journal's threads). Results are handed on from that thread too: PostgreSQL's R2DBC driver
 * answers on its Netty event loop, where the caller's next step (registering the host, probing it)
 * must not run.
 */
@Component
class HostStore implements DisposableBean {

  private final DatabaseClient db;
  private final JsonMapper json;
  private final ExecutorService executor;
  private final Scheduler thread;

  HostStore(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
    CustomizableThreadFactory factory = new CustomizableThreadFactory("host-store-");
    factory.setDaemon(true);
    this.executor = Executors.newSingleThreadExecutor(factory);
    this.thread = Schedulers.fromExecutor(executor);
  }

  Mono<Void> save(HostConfig config, String principal) {
    return db.sql(
            "INSERT INTO registered_hosts (name, config, registered_by, registered_at)"
                + " VALUES (:name, :config, :by, :at)")
        .bind("name", config.name())
        .bind("config", json.writeValueAsString(config))
        .bind("by", principal)
        .bind("at", OffsetDateTime.now(ZoneOffset.UTC))
        .then()
        .subscribeOn(thread)
        .publishOn(thread);
  }

  /** Forgets a registered host (nothing happens for a configured one). */
  Mono<Void> delete(String name) {
    return db.sql("DELETE FROM registered_hosts WHERE name = :name")
        .bind("name", name)
        .then()
        .then(enable(name))
        .subscribeOn(thread)
        .publishOn(thread);
  }

  Mono<Void> disable(String name, String principal) {
    return enable(name)
        .then(
            db.sql(
                    "INSERT INTO disabled_hosts (name, disabled_by, disabled_at)"
                        + " VALUES (:name, :by, :at)")
                .bind("name", name)
                .bind("by", principal)
                .bind("at", OffsetDateTime.now(ZoneOffset.UTC))
                .then())
        .subscribeOn(thread)
        .publishOn(thread);
  }

  Mono<Void> enable(String name) {
    return db.sql("DELETE FROM disabled_hosts WHERE name = :name")
        .bind("name", name)
        .then()
        .subscribeOn(thread)
        .publishOn(thread);
  }

  /** The names of the hosts an admin disabled; called once at start-up. */
  Mono<List<String>> disabled() {
    return db.sql("SELECT name FROM disabled_hosts")
        .map(row -> row.get("name", String.class))
        .all()
        .collectList()
        .subscribeOn(thread)
        .publishOn(thread);
  }

  /** Every stored host; called once at start-up. */
  Mono<List<HostConfig>> all() {
    return db.sql("SELECT config FROM registered_hosts ORDER BY name")
        .map(row -> json.readValue(row.get("config", String.class), HostConfig.class))
        .all()
        .collectList()
        .subscribeOn(thread)
        .publishOn(thread);
  }

  /**
   * Stores {@code reading} of {@code host} as its owner's latest, only while {@code replica} still
   * owns the host under {@code epoch} (a reading that a replica finishes after it lost the host is
   * dropped). PostgreSQL only: one replica on H2 reads every host itself.
   */
  Mono<Void> saveReading(String host, String replica, long epoch, HostReading reading) {
    return db.sql(
            "INSERT INTO host_readings (host, replica_id, version, reading_from, reading)"
                + " SELECT :host, :replica, 1, :from, :reading"
                + " WHERE EXISTS (SELECT 1 FROM host_owners"
                + "   WHERE host = :host AND replica_id = :replica AND epoch = :epoch)"
                + " ON CONFLICT (host) DO UPDATE SET replica_id = EXCLUDED.replica_id,"
                + "   version = host_readings.version + 1, reading_from = EXCLUDED.reading_from,"
                + "   reading = EXCLUDED.reading")
        .bind("host", host)
        .bind("replica", replica)
        .bind("epoch", epoch)
        .bind("from", reading.readingFrom().atOffset(ZoneOffset.UTC))
        .bind("reading", json.writeValueAsString(reading))
        .then()
        .subscribeOn(thread)
        .publishOn(thread);
  }

  /** host → version of its stored reading: cheap, to find the readings that changed. */
  Mono<Map<String, Long>> readingVersions() {
    return db.sql("SELECT host, version FROM host_readings")
        .map(row -> Map.entry(row.get("host", String.class), row.get("version", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .subscribeOn(thread)
        .publishOn(thread);
  }

  /** The stored reading of {@code host} and its version; empty when its owner never stored one. */
  Mono<Map.Entry<Long, HostReading>> reading(String host) {
    return db.sql("SELECT version, reading FROM host_readings WHERE host = :host")
        .bind("host", host)
        .map(
            row ->
                Map.entry(
                    row.get("version", Long.class),
                    json.readValue(row.get("reading", String.class), HostReading.class)))
        .one()
        .subscribeOn(thread)
        .publishOn(thread);
  }

  @Override
  public void destroy() {
    executor.shutdown();
  }
}
