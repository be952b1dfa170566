package io.virtflux.migration;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.MigrationSpec;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.MovedDiskFiles;
import io.virtflux.libvirt.xml.XmlElement;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs a {@link Migrate} while it holds the source's and the destination's lanes: libvirt migrates
 * (peer-to-peer or managed), {@link MigrationWatch} reports progress and enforces the caller's
 * timeout, and cancelling the operation aborts the libvirt job (the VM keeps running on the
 * source). One migration of a VM at a time: a second one is refused while one is queued or running.
 */
@Component
class MigrationHandler implements CommandHandler<Migrate, MigrationResult> {

  private static final int ABORT_RETRIES = 25;
  private static final Duration ABORT_RETRY_DELAY = Duration.ofMillis(200);

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;
  private final MigrationPreconditions preconditions;
  private final MigrationWatch watch;

  MigrationHandler(
      HostRegistry hosts,
      LibvirtGateway libvirt,
      MigrationPreconditions preconditions,
      MigrationWatch watch) {
    this.hosts = hosts;
    this.libvirt = libvirt;
    this.preconditions = preconditions;
    this.watch = watch;
  }

  /** The name migrations queued by earlier versions of the service were journaled under too. */
  @Override
  public String name() {
    return "migrate";
  }

  @Override
  public Set<OperationKind> kinds() {
    return Set.of(OperationKind.MIGRATE);
  }

  @Override
  public Set<OperationKind> conflictsWith() {
    return Set.of(OperationKind.MIGRATE);
  }

  @Override
  public Mono<Void> check(Migrate migration) {
    return preconditions.check(migration);
  }

  @Override
  public Mono<MigrationResult> run(Migrate migration, OperationContext ctx) {
    String vm = migration.vm();
    MigrationRequest request = migration.request();
    Host source = hosts.require(migration.source());
    Host dest = hosts.require(migration.destination());
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
                    () -> watch.watch(ctx, vm, source, request, timedOut),
                    watching ->
                        libvirt.migrate(
                            source.ref(), vm, spec(dest, request, destXml.orElse(null))),
                    Disposable::dispose))
        .onErrorMap(e -> explain(e, request, timedOut.get()))
        .then(Mono.defer(() -> finish(vm, source, dest, request, timedOut.get(), started)));
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

  private Mono<MigrationResult> finish(
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
                .map(MigrationJobStats::of)
                .defaultIfEmpty(MigrationJobStats.none()))
        .zipWith(libvirt.status(dest.ref(), vm))
        .map(
            t ->
                new MigrationResult(
                    vm,
                    source.name(),
                    dest.name(),
                    request.isPeerToPeer() ? "peer-to-peer" : "managed",
                    request.isLive(),
                    t.getT2().state().name(),
                    Duration.ofNanos(System.nanoTime() - startedNanos).toMillis(),
                    paused && request.pauseOnTimeout(),
                    t.getT1()));
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
