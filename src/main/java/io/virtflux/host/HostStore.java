package io.virtflux.host;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
 * forget them. Runs on a thread of its own: H2's R2DBC driver does its disk I/O on the subscribing
 * thread (never an event loop), and an interrupted H2 thread closes the file, so this is a plain
 * executor that never interrupts (see the journal's threads). Results are handed on from that
 * thread too: PostgreSQL's R2DBC driver answers on its Netty event loop, where the caller's next
 * step (registering the host, probing it) must not run.
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

  @Override
  public void destroy() {
    executor.shutdown();
  }
}
