package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Three replicas of the packaged service on one PostgreSQL journal, sharing two lab hosts whose
 * lanes run one action at a time. Any replica accepts any request; the owner of a host runs its
 * operations.
 *
 * <ol>
 *   <li>Limits: 300 operations submitted round-robin to the three replicas all succeed, and no host
 *       ever ran two at once (from the operations' own start and end times). On a third host, whose
 *       lanes run three actions at once, deploys submitted through every replica run one at a time
 *       (the deploy cap).
 *   <li>Crash: the owner of a host is killed (SIGKILL) with operations on it running and queued;
 *       another replica owns the host within 15 s, and every operation ends, each run at most once.
 *   <li>Pause: the owner of the other host is stopped (SIGSTOP) past its lease with an operation
 *       running; another replica takes the host over and ends the operation once; the paused one,
 *       continued, learns it lost the host and serves again as a replica, and the host's libvirtd
 *       lists no connection of it among its clients.
 *   <li>The database restarts ({@code pg_ctl restart -m fast}) with operations queued: every one
 *       ends, once; the hosts are owned again under new epochs.
 *   <li>Events: a client following each replica's {@code /api/v1/events} (the killed one's client
 *       resumes on another replica with its last id) ends with every id the journal holds, in the
 *       same order.
 * </ol>
 */
class ReplicasIT {

  private static final LabHost A = Lab.host(12);
  private static final LabHost B = Lab.host(13);
  // lanes of three actions at once, and one deploy at a time (max-deploys-per-host)
  private static final LabHost C = Lab.host(15);
  private static final Duration TAKEOVER = Duration.ofSeconds(15);

  @TempDir Path dir;

  private final List<GenericContainer<?>> hosts = new ArrayList<>();
  private final List<ServiceProcess> replicas = Collections.synchronizedList(new ArrayList<>());
  private final List<Follower> followers = new ArrayList<>();
  private Postgres.Database database;

  @AfterEach
  void stop() {
    followers.forEach(Follower::stop);
    for (ServiceProcess replica : replicas) {
      if (replica != null) {
        signal(replica, "CONT");
        replica.kill();
      }
    }
    hosts.forEach(GenericContainer::stop);
  }

  @Test
  void threeReplicasShareTheHostsTheirLimitsAndOneEventOrderThroughACrashAPauseAndARestart()
      throws Exception {
    database = Postgres.shared().newDatabase("replicas");
    List<CompletableFuture<GenericContainer<?>>> starting = new ArrayList<>();
    for (LabHost h : List.of(A, B, C)) {
      starting.add(CompletableFuture.supplyAsync(() -> Lab.startOwn(h)));
    }
    starting.forEach(f -> hosts.add(f.join()));
    List<CompletableFuture<ServiceProcess>> launching =
        IntStream.range(0, 3)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> launch(i)))
            .toList();
    launching.forEach(f -> replicas.add(f.join()));
    for (int i = 0; i < 3; i++) {
      followers.add(new Follower(i));
    }

    limitsHoldAcrossReplicas();
    deployCapHoldsAcrossReplicas();
    String crashed = crashOfAnOwner();
    abortAskedOfAnotherReplica();
    pauseOfAnOwner(crashed);
    databaseRestart();
    everyReplicaStreamsEveryEventInOneOrder();
  }

  /** Proof 1: 300 host syncs round-robin over the replicas; never two at once on a host. */
  private void limitsHoldAcrossReplicas() throws Exception {
    long began = System.nanoTime();
    List<String> ids =
        Flux.range(0, 300)
            .flatMap(
                i ->
                    Mono.fromCallable(
                            () ->
                                id(
                                    replica(i % 3)
                                        .api()
                                        .submit(
                                            "/api/v1/hosts/"
                                                + (i % 2 == 0 ? A : B).name()
                                                + "/sync",
                                            null)))
                        .subscribeOn(Schedulers.boundedElastic()),
                12)
            .collectList()
            .block(Duration.ofMinutes(2));
    List<Map<String, Object>> ended = awaitEnded(ids, Duration.ofMinutes(4));
    System.out.printf(
        "ReplicasIT: 300 operations over 3 replicas ended in %d ms%n",
        Duration.ofNanos(System.nanoTime() - began).toMillis());
    assertThat(ended).extracting(op -> op.get("phase")).containsOnly("SUCCEEDED");
    for (LabHost host : List.of(A, B)) {
      List<Map<String, Object>> onHost =
          ended.stream()
              .filter(
                  op ->
                      host.name()
                          .equals(((List<?>) ((Map<?, ?>) op.get("target")).get("hosts")).get(0)))
              .sorted(Comparator.comparing(op -> Instant.parse((String) op.get("startedAt"))))
              .toList();
      assertThat(onHost).hasSize(150);
      for (int i = 1; i < onHost.size(); i++) {
        Instant previousEnd = Instant.parse((String) onHost.get(i - 1).get("finishedAt"));
        Instant start = Instant.parse((String) onHost.get(i).get("startedAt"));
        assertThat(start)
            .as("host %s ran %s and %s at once", host.name(), onHost.get(i - 1), onHost.get(i))
            .isAfterOrEqualTo(previousEnd);
      }
    }
  }

  /**
   * Proof 1, the deploy cap: host C's lanes run three actions at once but one deploy at a time.
   * Three deploys and six syncs submitted at once through the three replicas all succeed; no two
   * deploys overlap, and never more than three operations run at once.
   */
  private void deployCapHoldsAcrossReplicas() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(id(replica(i).api().deploy(C.name(), Guests.template("it-replicas-cap-" + i, 0.2))));
      for (int j = 0; j < 2; j++) {
        ids.add(
            id(replica((i + j + 1) % 3).api().submit("/api/v1/hosts/" + C.name() + "/sync", null)));
      }
    }
    List<Map<String, Object>> ended = awaitEnded(ids, Duration.ofMinutes(3));
    assertThat(ended).extracting(op -> op.get("phase")).containsOnly("SUCCEEDED");
    List<Map<String, Object>> deploys =
        ended.stream().filter(op -> "DEPLOY".equals(op.get("kind"))).toList();
    assertThat(deploys).hasSize(3);
    for (Map<String, Object> a : deploys) {
      for (Map<String, Object> b : deploys) {
        assertThat(a == b || !overlap(a, b)).as("deploys %s and %s at once", a, b).isTrue();
      }
    }
    int most = 0;
    for (Map<String, Object> op : ended) {
      Instant at = Instant.parse((String) op.get("startedAt"));
      int running =
          (int)
              ended.stream()
                  .filter(o -> !Instant.parse((String) o.get("startedAt")).isAfter(at))
                  .filter(o -> Instant.parse((String) o.get("finishedAt")).isAfter(at))
                  .count();
      most = Math.max(most, running);
    }
    System.out.printf(
        "ReplicasIT: host %s ran at most %d operations at once, its 3 deploys one at a time%n",
        C.name(), most);
    assertThat(most).isLessThanOrEqualTo(3);
  }

  private static boolean overlap(Map<String, Object> a, Map<String, Object> b) {
    return Instant.parse((String) a.get("startedAt"))
            .isBefore(Instant.parse((String) b.get("finishedAt")))
        && Instant.parse((String) b.get("startedAt"))
            .isBefore(Instant.parse((String) a.get("finishedAt")));
  }

  /**
   * Proof 2: SIGKILL of a host's owner with a deploy running and syncs queued there. Returns the
   * killed replica's id.
   */
  private String crashOfAnOwner() throws Exception {
    awaitSettledOwners();
    Map<String, Object> owner = owner(A);
    String killed = (String) owner.get("replica");
    long epoch = ((Number) owner.get("epoch")).longValue();
    ServiceProcess victim = byId(killed);
    ServiceProcess other = survivorOtherThan(killed);
    List<String> ids = new ArrayList<>();
    ids.add(id(other.api().deploy(A.name(), Guests.template("it-replicas-crash", 0.5))));
    for (int i = 0; i < 10; i++) {
      ids.add(id(other.api().submit("/api/v1/hosts/" + A.name() + "/sync", null)));
    }
    other.api().awaitPhase(ids.get(0), "RUNNING");
    long queued =
        ids.stream()
            .filter(id -> "QUEUED".equals(other.api().get("/api/v1/operations/" + id).get("phase")))
            .count();
    assertThat(queued).as("operations queued behind the running deploy").isPositive();

    victim.kill();
    long killedAt = System.nanoTime();
    victim.awaitExit(Duration.ofSeconds(30));
    Map<String, Object> next = awaitNewOwner(other, A, killed, epoch);
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf(
        "ReplicasIT: host %s owned by %s (epoch %s) %d ms after %s was killed%n",
        A.name(), next.get("replica"), next.get("epoch"), takeover.toMillis(), killed);
    assertThat(takeover).isLessThanOrEqualTo(TAKEOVER);

    List<Map<String, Object>> ended = awaitEnded(ids, Duration.ofMinutes(2));
    assertThat(ended.subList(1, ended.size()))
        .extracting(op -> op.get("phase"))
        .containsOnly("SUCCEEDED");
    ids.forEach(this::ranAtMostOnceAndEndedOnce);
    return killed;
  }

  /**
   * A throttled migration runs on its source's owner; cancelling it through another replica goes
   * through the journal to the owner, which aborts it: CANCELLED, the guest still on its source.
   */
  private void abortAskedOfAnotherReplica() throws Exception {
    String owner = (String) owner(A).get("replica");
    ServiceProcess other = survivorOtherThan(owner);
    other.api().succeeded(other.api().deploy(A.name(), Guests.template("it-replicas-abort", 0.5)));
    Map<String, Object> migration =
        other
            .api()
            .submit(
                "/api/v1/vms/it-replicas-abort/migrations",
                Map.of("destination", B.name(), "unsafe", true, "bandwidthMiBps", 1));
    other.api().awaitPhase(id(migration), "RUNNING");
    Thread.sleep(1500);
    other
        .api()
        .client()
        .delete()
        .uri("/api/v1/operations/{id}", id(migration))
        .exchange()
        .expectStatus()
        .isAccepted();
    Map<String, Object> ended = awaitEnded(List.of(id(migration)), Duration.ofSeconds(60)).get(0);
    assertThat(ended.get("phase")).as("%s", ended).isEqualTo("CANCELLED");
    assertThat(other.api().get("/api/v1/vms/it-replicas-abort").get("host")).isEqualTo(A.name());
  }

  /**
   * Proof 3: SIGSTOP of a host's owner while a shutdown (of a guest that ignores it) runs there;
   * another replica takes over and ends it; SIGCONT: the paused one drops the host and serves on.
   */
  private void pauseOfAnOwner(String crashed) throws Exception {
    ServiceProcess any = survivorOtherThan(crashed);
    any.api().succeeded(any.api().deploy(B.name(), Guests.ignoringAcpi("it-replicas-pause", 0.5)));
    Map<String, Object> owner = owner(B);
    long settle = System.nanoTime() + TAKEOVER.toNanos();
    while (owner.get("replica").equals(crashed)) {
      // the crashed replica owned this host too: its takeover comes first
      assertThat(System.nanoTime()).as("host %s taken over", B.name()).isLessThan(settle);
      Thread.sleep(200);
      owner = owner(B);
    }
    String paused = (String) owner.get("replica");
    long epoch = ((Number) owner.get("epoch")).longValue();
    ServiceProcess sleeper = byId(paused);
    ServiceProcess other =
        replicas.stream().filter(r -> r != sleeper && r.alive()).findFirst().orElseThrow();
    String shutdown = id(other.api().action("it-replicas-pause", "shutdown"));
    other.api().awaitPhase(shutdown, "RUNNING");

    assertThat(libvirtdClients(B)).as("the owner's connections").contains(sleeper.process().pid());
    signal(sleeper, "STOP");
    long stoppedAt = System.nanoTime();
    Map<String, Object> next = awaitNewOwner(other, B, paused, epoch);
    Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
    System.out.printf(
        "ReplicasIT: host %s owned by %s (epoch %s) %d ms after %s was paused%n",
        B.name(), next.get("replica"), next.get("epoch"), takeover.toMillis(), paused);
    assertThat(takeover).isLessThanOrEqualTo(TAKEOVER);
    Map<String, Object> ended = awaitEnded(List.of(shutdown), Duration.ofSeconds(60)).get(0);
    assertThat(ended.get("phase")).as("%s", ended).isEqualTo("FAILED");

    signal(sleeper, "CONT");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!sleeper.output().contains("no longer owns host " + B.name())) {
      assertThat(System.nanoTime())
          .as("the paused replica hears it lost the host")
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    // libvirtd's own client list: the paused replica closed its connections when it learnt it had
    // lost the host, and the new owner holds one (the check sees connections where there are some)
    ServiceProcess successor = byId((String) next.get("replica"));
    long closing = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (libvirtdClients(B).contains(sleeper.process().pid())) {
      assertThat(System.nanoTime())
          .as("the paused replica's connections to %s close", B.name())
          .isLessThan(closing);
      Thread.sleep(200);
    }
    // it rejoins: it serves, and what it accepts runs, without a call of its own to the host
    Map<String, Object> sync = sleeper.api().submit("/api/v1/hosts/" + B.name() + "/sync", null);
    assertThat(awaitEnded(List.of(id(sync)), Duration.ofSeconds(60)).get(0).get("phase"))
        .isEqualTo("SUCCEEDED");
    assertThat(sleeper.api().get("/api/v1/hosts/" + B.name()).get("state")).isEqualTo("ONLINE");
    List<Long> clients = libvirtdClients(B);
    System.out.printf(
        "ReplicasIT: libvirtd of %s has clients of pids %s; the paused replica is %d, the owner"
            + " %d%n",
        B.name(), clients, sleeper.process().pid(), successor.process().pid());
    assertThat(clients).doesNotContain(sleeper.process().pid()).contains(successor.process().pid());
    ranAtMostOnceAndEndedOnce(shutdown);
  }

  /** Proof 4: the database restarts with operations queued; each ends once, under new epochs. */
  private void databaseRestart() throws Exception {
    List<ServiceProcess> alive = replicas.stream().filter(ServiceProcess::alive).toList();
    long epochA = ((Number) owner(A).get("epoch")).longValue();
    long epochB = ((Number) owner(B).get("epoch")).longValue();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(
          id(
              alive
                  .get(i % alive.size())
                  .api()
                  .submit("/api/v1/hosts/" + (i % 2 == 0 ? A : B).name() + "/sync", null)));
    }
    Postgres.shared().restartFast();
    List<Map<String, Object>> ended = awaitEnded(ids, Duration.ofMinutes(2));
    assertThat(ended).extracting(op -> op.get("phase")).doesNotContain("QUEUED", "RUNNING");
    ids.forEach(this::ranAtMostOnceAndEndedOnce);
    // a restart shorter than the lease leaves the owners as they were (no replica could claim
    // meanwhile); a longer outage makes every replica drop its hosts and claim them anew
    System.out.printf(
        "ReplicasIT: after the database restart, epochs %d -> %s and %d -> %s%n",
        epochA, owner(A).get("epoch"), epochB, owner(B).get("epoch"));
    assertThat(((Number) owner(A).get("epoch")).longValue()).isGreaterThanOrEqualTo(epochA);
  }

  /** Proof 5: each follower has exactly the journal's ids, in its order. */
  private void everyReplicaStreamsEveryEventInOneOrder() throws Exception {
    List<Long> journal = journalSeqs();
    long last = journal.get(journal.size() - 1);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (followers.stream().anyMatch(f -> f.last.get() < last)) {
      assertThat(System.nanoTime())
          .as("followers at %s", followers.stream().map(f -> f.last.get()).toList())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    for (Follower follower : followers) {
      List<Long> seen;
      synchronized (follower.ids) {
        seen = List.copyOf(follower.ids);
      }
      assertThat(seen.stream().filter(id -> id <= last).toList())
          .as("the stream that started on replica %d", follower.preferred)
          .isEqualTo(journal);
    }
  }

  private ServiceProcess launch(int i) {
    try {
      Path journal = dir.resolve("replica-" + i).resolve("journal");
      Files.createDirectories(journal.getParent());
      List<String> settings = new ArrayList<>();
      settings.add("--virtflux.journal.jdbc-url=" + database.jdbcUrl());
      settings.add("--virtflux.journal.r2dbc-url=" + database.r2dbcUrl());
      settings.add("--virtflux.journal.username=" + database.user());
      settings.add("--virtflux.journal.password=" + database.password());
      settings.add("--virtflux.replicas.id=replica-" + i);
      List<LabHost> labHosts = List.of(A, B, C);
      for (int h = 0; h < labHosts.size(); h++) {
        settings.add("--virtflux.hosts[" + h + "].name=" + labHosts.get(h).name());
        settings.add("--virtflux.hosts[" + h + "].uri=" + labHosts.get(h).uri());
      }
      settings.add("--virtflux.hosts[2].parallel-actions=true");
      settings.add("--virtflux.hosts[2].max-actions=3");
      settings.add("--virtflux.max-deploys-per-host=1");
      return ServiceProcess.start("replicas-it-" + i, ServiceProcess.freePort(), journal, settings);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until the hosts' owners stay the same for a while: once the replicas are all up and the
   * hosts idle, the replicas hand hosts over to spread them, and a takeover is only measured from a
   * settled owner.
   */
  private void awaitSettledOwners() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<Object> last = List.of();
    long since = System.nanoTime();
    while (System.nanoTime() - since < Duration.ofSeconds(8).toNanos()) {
      List<Object> now = List.of(owner(A), owner(B));
      if (!now.equals(last)) {
        last = now;
        since = System.nanoTime();
      }
      assertThat(System.nanoTime()).as("owners settle: %s", now).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private ServiceProcess replica(int i) {
    return replicas.get(i);
  }

  private ServiceProcess byId(String replicaId) {
    return replica(Integer.parseInt(replicaId.substring("replica-".length())));
  }

  private ServiceProcess survivorOtherThan(String replicaId) {
    ServiceProcess not = byId(replicaId);
    return replicas.stream().filter(r -> r != not && r.alive()).findFirst().orElseThrow();
  }

  private ServiceProcess anyAlive() {
    return replicas.stream().filter(ServiceProcess::alive).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> owner(LabHost host) throws InterruptedException {
    long deadline = System.nanoTime() + TAKEOVER.toNanos();
    while (true) {
      Object owner = anyAlive().api().get("/api/v1/hosts/" + host.name()).get("owner");
      if (owner != null) {
        return (Map<String, Object>) owner;
      }
      assertThat(System.nanoTime()).as("host %s has an owner", host.name()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Polls {@code via} until {@code host}'s owner is another replica than {@code old}, newer. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitNewOwner(
      ServiceProcess via, LabHost host, String old, long oldEpoch) throws InterruptedException {
    long deadline = System.nanoTime() + TAKEOVER.plusSeconds(15).toNanos();
    while (true) {
      Map<String, Object> owner =
          (Map<String, Object>) via.api().get("/api/v1/hosts/" + host.name()).get("owner");
      if (owner != null
          && !old.equals(owner.get("replica"))
          && ((Number) owner.get("epoch")).longValue() > oldEpoch) {
        return owner;
      }
      assertThat(System.nanoTime())
          .as("host %s gets a new owner", host.name())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Waits until every operation ended (asking any live replica) and returns them, in order. */
  private List<Map<String, Object>> awaitEnded(List<String> ids, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> ended = new ArrayList<>();
    for (String id : ids) {
      while (true) {
        Map<String, Object> op;
        try {
          op = anyAlive().api().get("/api/v1/operations/" + id);
        } catch (AssertionError | RuntimeException notNow) {
          op = Map.of("phase", "UNKNOWN");
        }
        Object phase = op.get("phase");
        if ("SUCCEEDED".equals(phase) || "FAILED".equals(phase) || "CANCELLED".equals(phase)) {
          ended.add(op);
          break;
        }
        assertThat(System.nanoTime()).as("operation %s ends: %s", id, op).isLessThan(deadline);
        Thread.sleep(200);
      }
    }
    return ended;
  }

  /** From the journal itself: at most one RUNNING event and exactly one terminal event. */
  private void ranAtMostOnceAndEndedOnce(String id) {
    List<String> types = new ArrayList<>();
    try (Connection c = journalConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT type FROM operation_events WHERE operation_id = ? ORDER BY seq")) {
      q.setString(1, id);
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          types.add(rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertThat(types.stream().filter("RUNNING"::equals).count())
        .as("%s: %s", id, types)
        .isLessThanOrEqualTo(1);
    assertThat(
            types.stream()
                .filter(t -> t.equals("SUCCEEDED") || t.equals("FAILED") || t.equals("CANCELLED"))
                .count())
        .as("%s: %s", id, types)
        .isEqualTo(1);
  }

  private List<Long> journalSeqs() throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (Connection c = journalConnection();
        ResultSet rows =
            c.createStatement().executeQuery("SELECT seq FROM operation_events ORDER BY seq")) {
      while (rows.next()) {
        seqs.add(rows.getLong(1));
      }
    }
    return seqs;
  }

  private Connection journalConnection() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  /**
   * The processes behind the TCP clients in {@code host}'s libvirtd client list: libvirtd names
   * each client's address ({@code virt-admin client-info}), and {@code ss} names the process that
   * holds that end of the connection (the lab hosts share this machine's network).
   */
  private List<Long> libvirtdClients(LabHost host) throws Exception {
    GenericContainer<?> container = hosts.get(List.of(A, B, C).indexOf(host));
    List<String> ports = new ArrayList<>();
    String list = container.execInContainer("virt-admin", "client-list", "libvirtd").getStdout();
    for (String line : list.lines().toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 2 && cols[1].equals("tcp")) {
        String info =
            container.execInContainer("virt-admin", "client-info", "libvirtd", cols[0]).getStdout();
        info.lines()
            .filter(l -> l.startsWith("sock_addr"))
            .map(l -> l.substring(l.lastIndexOf(':') + 1).trim())
            .forEach(ports::add);
      }
    }
    Process ss = new ProcessBuilder("ss", "-tnpH").redirectErrorStream(true).start();
    String sockets = new String(ss.getInputStream().readAllBytes());
    ss.waitFor();
    List<Long> pids = new ArrayList<>();
    for (String line : sockets.lines().toList()) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length < 6 || !cols[4].equals(host.ip() + ":" + host.port())) {
        continue;
      }
      String local = cols[3].substring(cols[3].lastIndexOf(':') + 1);
      java.util.regex.Matcher pid = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(cols[5]);
      if (ports.contains(local) && pid.find()) {
        pids.add(Long.parseLong(pid.group(1)));
      }
    }
    return pids;
  }

  private static void signal(ServiceProcess replica, String signal) {
    if (!replica.alive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(replica.process().pid()))
          .inheritIO()
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String id(Map<String, Object> op) {
    return String.valueOf(op.get("id"));
  }

  /**
   * A client of {@code /api/v1/events} that starts on one replica and, when its stream ends (the
   * replica died), resumes with its last id on the next live replica.
   */
  private final class Follower {
    final int preferred;
    final List<Long> ids = new ArrayList<>();
    final AtomicLong last = new AtomicLong(0);
    final Disposable subscription;

    Follower(int preferred) {
      this.preferred = preferred;
      this.subscription =
          Flux.defer(() -> target().api().stream("/api/v1/events?lastEventId={last}", last.get()))
              // a resubscription after an error comes on a thread that must not block, and
              // opening the stream does (until its headers arrive)
              .subscribeOn(Schedulers.boundedElastic())
              .filter(e -> e.id() != null && e.data() != null)
              .doOnNext(
                  e -> {
                    long id = Long.parseLong(e.id());
                    synchronized (ids) {
                      ids.add(id);
                    }
                    last.set(id);
                  })
              .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(500)))
              .repeatWhen(done -> done.delayElements(Duration.ofMillis(500)))
              .subscribe();
    }

    private ServiceProcess target() {
      ServiceProcess own = replica(preferred);
      if (own.alive()) {
        return own;
      }
      return anyAlive();
    }

    void stop() {
      subscription.dispose();
    }
  }
}
