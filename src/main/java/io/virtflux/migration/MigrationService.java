package io.virtflux.migration;

import io.virtflux.api.Caller;
import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostProber;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.MigrationProgress;
import io.virtflux.libvirt.MigrationSpec;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.MovedDiskFiles;
import io.virtflux.libvirt.xml.XmlElement;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationReplay;
import io.virtflux.operation.OperationRequest;
import io.virtflux.operation.OperationService;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.OperationWork;
import io.virtflux.operation.ReplayInputs;
import io.virtflux.vm.VmLocator;
import io.virtflux.vm.template.DatastorePaths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Migrations as operations that hold the source and the destination lanes for their whole run.
 * While libvirt migrates, the service reads the job's statistics every second (progress events),
 * enforces the caller's timeout itself (abort, or pause to converge), and aborts the libvirt job
 * when the operation is cancelled.
 */
@Service
public class MigrationService implements OperationReplay<MigrationService.Kept> {

  /** What a queued migration keeps, to run after a restart. */
  record Kept(String vm, String source, String destination, MigrationRequest request) {}

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
  private static final int ABORT_RETRIES = 25;
  private static final Duration ABORT_RETRY_DELAY = Duration.ofMillis(200);

  private final HostRegistry hosts;
  private final HostProber prober;
  private final LibvirtGateway libvirt;
  private final OperationService operations;
  private final VmLocator locator;

  MigrationService(
      HostRegistry hosts,
      HostProber prober,
      LibvirtGateway libvirt,
      OperationService operations,
      VmLocator locator) {
    this.hosts = hosts;
    this.prober = prober;
    this.libvirt = libvirt;
    this.operations = operations;
    this.locator = locator;
  }

  /** Checks what the service can know beforehand (409/422), then queues a MIGRATE operation. */
  public Mono<Operation> migrate(String vm, MigrationRequest request, Caller caller) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                destination(request.destination())
                    .flatMap(
                        dest -> {
                          Host source = found.host();
                          return checks(vm, found, dest, request)
                              .then(notMigrating(vm, "wait for it or cancel it"))
                              .then(
                                  Mono.defer(
                                      () ->
                                          operations.submit(
                                              new OperationRequest(
                                                  OperationKind.MIGRATE,
                                                  new OperationTarget(
                                                      vm, List.of(source.name(), dest.name())),
                                                  caller.idempotencyKey(),
                                                  caller.name()),
                                              ctx -> run(ctx, vm, source, dest, request),
                                              new ReplayInputs(
                                                  recipe(),
                                                  new Kept(
                                                      vm, source.name(), dest.name(), request)))));
                        }));
  }

  @Override
  public String recipe() {
    return "migrate";
  }

  @Override
  public Class<Kept> inputType() {
    return Kept.class;
  }

  /**
   * A migration queued when the service stopped: what was checked at submission is checked again
   * when it runs (both hosts, the VM's state, its PCI devices), as the hosts may have changed while
   * the service was down.
   */
  @Override
  public OperationWork rebuild(Operation queued, Kept kept) {
    MigrationRequest request = kept.request();
    return ctx ->
        locator
            .locate(kept.vm())
            .zipWith(destination(kept.destination()))
            .flatMap(
                found -> {
                  Host source = found.getT1().host();
                  Host dest = found.getT2();
                  if (!source.name().equals(kept.source())) {
                    throw Problems.of(
                        HttpStatus.CONFLICT,
                        "VM moved",
                        "VM '"
                            + kept.vm()
                            + "' is on host '"
                            + source.name()
                            + "' now, not on '"
                            + kept.source()
                            + "' where the migration was asked for");
                  }
                  return checks(kept.vm(), found.getT1(), dest, request)
                      .then(Mono.defer(() -> run(ctx, kept.vm(), source, dest, request)));
                });
  }

  /**
   * What can be known before a migration runs (409/422): checked at submission, and again when a
   * migration queued before a restart is about to run.
   */
  private Mono<Void> checks(
      String vm, VmLocator.Located found, Host dest, MigrationRequest request) {
    return Mono.defer(
        () -> {
          refuse(found.host(), dest, request.isLive(), found.status().state().active());
          checkDiskPaths(request, dest);
          return refusePassthrough(found.host(), vm, request.isLive());
        });
  }

  private Mono<Host> destination(String name) {
    if (hosts.find(name).isEmpty()) {
      return Mono.error(
          Problems.of(
              HttpStatus.UNPROCESSABLE_CONTENT,
              "Unknown destination",
              "no host named '" + name + "'"));
    }
    return prober.probed(name);
  }

  private static void refuse(Host source, Host dest, boolean live, boolean running) {
    if (source.name().equals(dest.name())) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "Destination is the source",
          "the VM already runs on host '" + dest.name() + "'");
    }
    if (dest.state() != HostStatus.ONLINE) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "Destination offline",
          "host '" + dest.name() + "' is " + dest.state() + ": " + dest.reason());
    }
    if (live && !running) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "VM not running",
          "a live migration needs a running VM; use live: false to move a shut-off VM");
    }
    if (!live && running) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "VM running",
          "a cold migration (live: false) moves a shut-off VM; shut it down or migrate live");
    }
  }

  /** Destination disk paths need a storage copy and must lie in the destination's datastores. */
  private static void checkDiskPaths(MigrationRequest request, Host dest) {
    Map<String, String> paths = request.diskPaths();
    if (paths == null || paths.isEmpty()) {
      return;
    }
    if (!request.copiesStorage()) {
      throw Problems.of(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "diskPaths needs copyStorage",
          "disks move to other paths only when they are copied: set copyStorage to all or"
              + " incremental");
    }
    List<Map<String, String>> errors = new java.util.ArrayList<>();
    paths.forEach(
        (target, path) -> {
          if (!target.matches("(sd|vd|hd|fd|xvd)[a-z]{1,3}")) {
            errors.add(
                Map.of("field", "diskPaths", "message", "'" + target + "' is not a disk target"));
          }
          String problem = DatastorePaths.problem(path, dest.datastores());
          if (problem != null) {
            errors.add(
                Map.of("field", "diskPaths." + target, "message", problem + " of the destination"));
          }
        });
    if (!errors.isEmpty()) {
      throw Problems.invalid("diskPaths was refused", errors);
    }
  }

  /**
   * The source's migratable XML with the disks moved to the requested destination paths. The XML is
   * edited untyped ({@link MovedDiskFiles}), so that devices the model does not know reach the
   * destination too.
   */
  private Mono<XmlElement> destinationXml(String vm, Host source, Map<String, String> paths) {
    return libvirt
        .migratableXml(source.ref(), vm)
        .map(
            domain -> {
              List<String> targets = MovedDiskFiles.diskTargets(domain);
              List<String> unknown =
                  paths.keySet().stream().filter(t -> !targets.contains(t)).toList();
              if (!unknown.isEmpty()) {
                throw Problems.of(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Unknown disk",
                    "the VM has no disk " + unknown + "; its disks: " + targets);
              }
              return MovedDiskFiles.in(domain, paths);
            });
  }

  /** QEMU can't migrate a device it doesn't emulate: refuse before queueing (409). */
  private Mono<Void> refusePassthrough(Host source, String vm, boolean live) {
    if (!live) {
      return Mono.empty();
    }
    return libvirt
        .domainXml(source.ref(), vm, false)
        .map(domain -> domain.devicesOrEmpty().hostPciAddresses())
        .flatMap(
            pci ->
                pci.isEmpty()
                    ? Mono.empty()
                    : Mono.error(
                        Problems.of(
                            HttpStatus.CONFLICT,
                            "PCI passthrough",
                            "VM '"
                                + vm
                                + "' has host PCI devices passed through ("
                                + pci
                                + "): a VM with host devices cannot be live-migrated. Shut it"
                                + " down and migrate it cold, or detach the devices")));
  }

  /**
   * Completes when no MIGRATE of {@code vm} is queued or running; else a 409 problem naming it,
   * ending with {@code advice}. Anything that must not change a VM while it moves asks this.
   */
  public Mono<Void> notMigrating(String vm, String advice) {
    return operations
        .unfinished(vm, OperationKind.MIGRATE)
        .flatMap(
            op ->
                Mono.error(
                    Problems.of(
                        HttpStatus.CONFLICT,
                        "Migration in progress",
                        "operation " + op.id() + " migrates '" + vm + "': " + advice)));
  }

  private Mono<Map<String, Object>> run(
      OperationContext ctx, String vm, Host source, Host dest, MigrationRequest request) {
    AtomicBoolean timedOut = new AtomicBoolean();
    // an abort may come before libvirt has started the job ("no job is active"): retry briefly
    ctx.onAbort(
        () ->
            libvirt
                .abortJob(source.ref(), vm)
                .retryWhen(Retry.fixedDelay(ABORT_RETRIES, ABORT_RETRY_DELAY)));
    long started = System.nanoTime();
    Map<String, String> paths = request.diskPaths();
    Mono<Optional<XmlElement>> destinationXml =
        paths == null || paths.isEmpty()
            ? Mono.just(Optional.empty())
            : destinationXml(vm, source, paths).map(Optional::of);
    return destinationXml
        .flatMap(
            destXml ->
                Mono.using(
                    () -> watch(ctx, vm, source, request, timedOut),
                    watching ->
                        libvirt.migrate(
                            source.ref(), vm, spec(dest, request, destXml.orElse(null))),
                    Disposable::dispose))
        .onErrorMap(e -> explain(e, request, timedOut.get()))
        .then(Mono.defer(() -> finish(vm, source, dest, request, timedOut.get(), started)));
  }

  /** Progress every second, max downtime once the job runs, and the caller's timeout. */
  private Disposable watch(
      OperationContext ctx,
      String vm,
      Host source,
      MigrationRequest request,
      AtomicBoolean timedOut) {
    AtomicBoolean downtimeSet = new AtomicBoolean(request.maxDowntimeMs() == null);
    Flux<Object> progress =
        Flux.interval(PROGRESS_EVERY)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    libvirt
                        .jobProgress(source.ref(), vm, false)
                        .onErrorResume(LibvirtFailure.class, e -> Mono.empty()))
            .filter(MigrationProgress::active)
            .concatMap(
                p -> {
                  ctx.progress(progress(p));
                  if (downtimeSet.compareAndSet(false, true)) {
                    return libvirt
                        .setMaxDowntime(source.ref(), vm, request.maxDowntimeMs())
                        .onErrorResume(LibvirtFailure.class, e -> Mono.empty())
                        .then(Mono.empty());
                  }
                  return Mono.empty();
                });
    Mono<Void> timeout =
        request.timeoutSeconds() == null
            ? Mono.never()
            : Mono.delay(Duration.ofSeconds(request.timeoutSeconds()))
                .flatMap(
                    tick -> {
                      timedOut.set(true);
                      return request.pauseOnTimeout()
                          ? libvirt.act(source.ref(), vm, DomainAction.SUSPEND)
                          : libvirt.abortJob(source.ref(), vm);
                    })
                .onErrorResume(LibvirtFailure.class, e -> Mono.empty());
    return Flux.merge(progress, timeout).subscribe();
  }

  private static Map<String, Object> progress(MigrationProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "elapsedMs", p.elapsedMs());
    put(m, "dataTotal", p.dataTotal());
    put(m, "dataProcessed", p.dataProcessed());
    put(m, "dataRemaining", p.dataRemaining());
    put(m, "memoryIteration", p.memoryIteration());
    put(m, "downtimeMs", p.downtimeMs());
    if (p.dataTotal() != null && p.dataTotal() > 0 && p.dataProcessed() != null) {
      m.put("percent", Math.min(100, p.dataProcessed() * 100 / p.dataTotal()));
    }
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  /** Adds what the caller can do about a failure to libvirt's own message. */
  private static Throwable explain(Throwable e, MigrationRequest request, boolean timedOut) {
    if (timedOut && !request.pauseOnTimeout()) {
      return Problems.of(
          HttpStatus.GATEWAY_TIMEOUT,
          "Migration timed out",
          "the migration did not finish within "
              + request.timeoutSeconds()
              + " s and was aborted; the VM keeps running on the source");
    }
    if (e instanceof LibvirtFailure f && "VIR_ERR_MIGRATE_UNSAFE".equals(f.code())) {
      f.getBody()
          .setProperty(
              "hint",
              "libvirt cannot prove the disks are on shared storage (or a disk's cache mode is"
                  + " unsafe for migration): set unsafe: true when the storage really is shared,"
                  + " or copyStorage: all to copy the disks");
    }
    return e;
  }

  private Mono<Map<String, Object>> finish(
      String vm,
      Host source,
      Host dest,
      MigrationRequest request,
      boolean paused,
      long startedNanos) {
    // libvirt may resume the guest on the destination itself; only a guest left paused is resumed
    Mono<Void> resume =
        paused && request.pauseOnTimeout()
            ? libvirt
                .status(dest.ref(), vm)
                .filter(s -> s.state() == VmState.PAUSED)
                .flatMap(s -> libvirt.act(dest.ref(), vm, DomainAction.RESUME))
            : Mono.empty();
    return resume
        .then(
            libvirt
                .jobProgress(dest.ref(), vm, true)
                .onErrorResume(LibvirtFailure.class, e -> Mono.empty())
                .map(MigrationService::progress)
                .defaultIfEmpty(Map.of()))
        .zipWith(libvirt.status(dest.ref(), vm))
        .map(
            t -> {
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("vm", vm);
              r.put("source", source.name());
              r.put("destination", dest.name());
              r.put("mode", request.isPeerToPeer() ? "peer-to-peer" : "managed");
              r.put("live", request.isLive());
              r.put("state", t.getT2().state().name());
              r.put("wallMs", Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
              r.put("pausedOnTimeout", paused && request.pauseOnTimeout());
              r.put("completedJob", t.getT1());
              return r;
            });
  }

  private static MigrationSpec spec(
      Host dest, MigrationRequest request, @Nullable XmlElement destinationXml) {
    String address = dest.config().migrationAddress();
    return new MigrationSpec(
        dest.ref(),
        request.isPeerToPeer(),
        request.isLive(),
        Boolean.TRUE.equals(request.unsafe()),
        Boolean.TRUE.equals(request.tunnelled()),
        request.isPersistent(),
        request.copyStorage() == null
            ? MigrationSpec.CopyStorage.NONE
            : MigrationSpec.CopyStorage.valueOf(request.copyStorage().toUpperCase(Locale.ROOT)),
        request.bandwidthMiBps(),
        Boolean.TRUE.equals(request.autoConverge()),
        Boolean.TRUE.equals(request.compressed()),
        address == null ? null : "tcp://" + address,
        destinationXml);
  }
}
