package io.virtflux.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart in {@code helm/virtflux}, linted and rendered with Helm itself (helm-java's embedded
 * library): with its defaults (one replica on the H2 journal), with several replicas on a
 * PostgreSQL journal, and with a multi-host production-shaped values file.
 */
class HelmChartTest {

  private static final Path CHART = Path.of("helm/virtflux");

  private static List<Map<String, Object>> render(@Nullable Path values) {
    var template = new Helm(CHART).template().withName("vf");
    if (values != null) {
      template = template.withValuesFile(values);
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(template.call())) {
      if (doc instanceof Map<?, ?> m && m.containsKey("kind")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) m;
        docs.add(typed);
      }
    }
    return docs;
  }

  /** The value at a slash path ({@code spec/template/spec/containers/0/image}). */
  @SuppressWarnings("unchecked")
  private static @Nullable Object at(Object node, String path) {
    Object o = node;
    for (String part : path.split("/")) {
      if (o instanceof Map<?, ?> m) {
        o = ((Map<String, Object>) m).get(part);
      } else if (o instanceof List<?> l) {
        o = l.get(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return o;
  }

  private static List<Map<String, Object>> render(Path dir, String values) throws Exception {
    return render(Files.writeString(dir.resolve("values.yaml"), values));
  }

  private static String str(Object node, String path) {
    return String.valueOf(at(node, path));
  }

  private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
  }

  private static Object yaml(String text) {
    return new Yaml().load(text);
  }

  /** The container's environment variable {@code name}, or null. */
  @SuppressWarnings("unchecked")
  private static @Nullable Map<String, Object> env(Object container, String name) {
    for (Object e : (List<?>) at(container, "env")) {
      if (name.equals(str(e, "name"))) {
        return (Map<String, Object>) e;
      }
    }
    return null;
  }

  /** The labels at {@code path}: label keys have slashes, so {@link #at} can't step into them. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> labels(Object node, String path) {
    return (Map<String, Object>) at(node, path);
  }

  private static List<String> volumes(Object pod) {
    return ((List<?>) at(pod, "volumes")).stream().map(v -> str(v, "name")).toList();
  }

  /** An external PostgreSQL journal with {@code replicaCount} replicas, plus {@code extra}. */
  private static String postgres(int replicaCount, String extra) {
    return """
        replicaCount: %d
        journal:
          postgres:
            jdbcUrl: jdbc:postgresql://pg.db:5432/virtflux
            r2dbcUrl: r2dbc:postgresql://pg.db:5432/virtflux
            existingSecret: virtflux-db
        """
            .formatted(replicaCount)
        + extra;
  }

  @Test
  void theChartLintsClean() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
  }

  @Test
  void defaultsRenderOneHardenedInstanceWithProbesThatIgnoreHosts() {
    List<Map<String, Object>> docs = render(null);
    assertThat(docs)
        .extracting(d -> d.get("kind"))
        .contains("Deployment", "Service", "ConfigMap", "Secret")
        // one pod can't be kept up through a drain: a budget would only block it
        .doesNotContain("ServiceMonitor", "PersistentVolumeClaim", "PodDisruptionBudget");
    Map<String, Object> deployment = kind(docs, "Deployment");
    Object pod = at(deployment, "spec/template/spec");
    Object container = at(pod, "containers/0");
    assertThat(str(container, "image")).isEqualTo("virtflux/virtflux:0.1.0");
    assertThat(str(container, "livenessProbe/httpGet/path")).isEqualTo("/actuator/health/liveness");
    assertThat(str(container, "readinessProbe/httpGet/path"))
        .isEqualTo("/actuator/health/readiness");
    assertThat(at(pod, "securityContext/runAsNonRoot")).isEqualTo(true);
    assertThat(at(container, "securityContext/readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(str(container, "resources/limits/memory")).isEqualTo("768Mi");
    assertThat(str(deployment, "spec/strategy/type")).isEqualTo("Recreate");
    assertThat(at(deployment, "spec/strategy/rollingUpdate")).isNull();
    assertThat(at(pod, "affinity")).isNull();
    assertThat(volumes(pod)).contains("data");
    assertThat(str(env(container, "VIRTFLUX_REPLICAS_ID"), "valueFrom/fieldRef/fieldPath"))
        .isEqualTo("metadata.name");
    assertThat(env(container, "VIRTFLUX_REPLICAS_HEARTBEAT")).isNull();
    Object config = yaml(str(kind(docs, "ConfigMap"), "data/application.yaml"));
    assertThat(str(config, "virtflux/journal/path")).isEqualTo("/data/journal");
    assertThat(str(config, "virtflux/journal/retention/max-age")).isEqualTo("7d");
    assertThat(at(config, "virtflux/journal/retention/max-operations")).isEqualTo(100000);
    assertThat((List<?>) at(config, "virtflux/hosts")).isEmpty();
    assertThat(str(config, "virtflux/operations/timeouts/MIGRATE")).isEqualTo("30m");
    assertThat(str(config, "virtflux/operations/idempotencyKeyTtl")).isEqualTo("24h");
    assertThat(str(config, "virtflux/limits/maxBodySize")).isEqualTo("1MB");
    assertThat(String.valueOf(at(config, "virtflux/limits/submissionsPerSecond"))).isEqualTo("50");
    // Kubernetes waits for the drain, plus a margin for the rest of the stop
    assertThat(str(config, "virtflux/shutdown/drain-timeout")).isEqualTo("60s");
    assertThat(at(pod, "terminationGracePeriodSeconds")).isEqualTo(80);
  }

  @Test
  void moreThanOneReplicaOnTheH2JournalIsRefused(@TempDir Path dir) throws Exception {
    Path values = Files.writeString(dir.resolve("values.yaml"), "replicaCount: 2\n");

    assertThatThrownBy(() -> render(values))
        .hasMessageContaining("replicaCount is 2, but the journal is the H2 file")
        .hasMessageContaining("journal.postgres");
  }

  @Test
  void severalReplicasOnPostgresqlRollSpreadAndKeepOneUpThroughADrain(@TempDir Path dir)
      throws Exception {
    List<Map<String, Object>> docs =
        render(
            dir,
            postgres(
                3,
                """
                persistence: {enabled: true}
                replicas: {heartbeat: PT1S, lease: PT5S}
                """));

    Map<String, Object> deployment = kind(docs, "Deployment");
    assertThat(at(deployment, "spec/replicas")).isEqualTo(3);
    // the journal is shared: new pods start before old ones stop
    assertThat(str(deployment, "spec/strategy/type")).isEqualTo("RollingUpdate");
    assertThat(at(deployment, "spec/strategy/rollingUpdate/maxSurge")).isEqualTo(1);
    assertThat(at(deployment, "spec/strategy/rollingUpdate/maxUnavailable")).isEqualTo(0);
    Map<String, Object> pdb = kind(docs, "PodDisruptionBudget");
    assertThat(at(pdb, "spec/maxUnavailable")).isEqualTo(1);
    assertThat(at(pdb, "spec/minAvailable")).isNull();
    assertThat(labels(pdb, "spec/selector/matchLabels"))
        .containsEntry("app.kubernetes.io/instance", "vf");
    Object pod = at(deployment, "spec/template/spec");
    Object spread =
        at(pod, "affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0");
    assertThat(at(spread, "weight")).isEqualTo(100);
    assertThat(str(spread, "podAffinityTerm/topologyKey")).isEqualTo("kubernetes.io/hostname");
    assertThat(labels(spread, "podAffinityTerm/labelSelector/matchLabels"))
        .containsEntry("app.kubernetes.io/name", "virtflux")
        .containsEntry("app.kubernetes.io/instance", "vf");
    assertThat(at(pod, "affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution"))
        .isNull();
    // each replica is named after its pod
    Object container = at(pod, "containers/0");
    assertThat(str(env(container, "VIRTFLUX_REPLICAS_ID"), "valueFrom/fieldRef/fieldPath"))
        .isEqualTo("metadata.name");
    assertThat(str(env(container, "VIRTFLUX_REPLICAS_HEARTBEAT"), "value")).isEqualTo("PT1S");
    assertThat(str(env(container, "VIRTFLUX_REPLICAS_LEASE"), "value")).isEqualTo("PT5S");
    assertThat(str(env(container, "VIRTFLUX_JOURNAL_PASSWORD"), "valueFrom/secretKeyRef/name"))
        .isEqualTo("virtflux-db");
    // no journal volume, even with persistence enabled
    assertThat(docs).extracting(d -> d.get("kind")).doesNotContain("PersistentVolumeClaim");
    assertThat(volumes(pod)).doesNotContain("data");
    assertThat(container.toString()).doesNotContain("mountPath=/data");
  }

  @Test
  void requiredAntiAffinityPutsOnePodPerNodeAndUpdatesWithoutASurge(@TempDir Path dir)
      throws Exception {
    List<Map<String, Object>> docs =
        render(
            dir,
            postgres(
                2,
                """
                podAntiAffinity: required
                podDisruptionBudget: {minAvailable: 1}
                """));

    Map<String, Object> deployment = kind(docs, "Deployment");
    Object pod = at(deployment, "spec/template/spec");
    Object term =
        at(pod, "affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0");
    assertThat(str(term, "topologyKey")).isEqualTo("kubernetes.io/hostname");
    assertThat(labels(term, "labelSelector/matchLabels"))
        .containsEntry("app.kubernetes.io/instance", "vf");
    assertThat(at(pod, "affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution"))
        .isNull();
    // every node may already run one: a surge pod would wait for a node forever
    assertThat(at(deployment, "spec/strategy/rollingUpdate/maxSurge")).isEqualTo(0);
    assertThat(at(deployment, "spec/strategy/rollingUpdate/maxUnavailable")).isEqualTo(1);
    Map<String, Object> pdb = kind(docs, "PodDisruptionBudget");
    assertThat(at(pdb, "spec/minAvailable")).isEqualTo(1);
    assertThat(at(pdb, "spec/maxUnavailable")).isNull();
  }

  @Test
  void oneReplicaOnPostgresqlStillRollsButGetsNoBudgetAndNoLeaseSettings(@TempDir Path dir)
      throws Exception {
    List<Map<String, Object>> docs = render(dir, postgres(1, ""));

    Map<String, Object> deployment = kind(docs, "Deployment");
    assertThat(str(deployment, "spec/strategy/type")).isEqualTo("RollingUpdate");
    assertThat(docs).extracting(d -> d.get("kind")).doesNotContain("PodDisruptionBudget");
    Object container = at(deployment, "spec/template/spec/containers/0");
    assertThat(env(container, "VIRTFLUX_REPLICAS_ID")).isNotNull();
    assertThat(env(container, "VIRTFLUX_REPLICAS_HEARTBEAT")).isNull();
    assertThat(env(container, "VIRTFLUX_REPLICAS_LEASE")).isNull();
  }

  @Test
  void anExplicitAffinityReplacesTheSpreadAndAnUnknownModeIsRefused(@TempDir Path dir)
      throws Exception {
    List<Map<String, Object>> docs =
        render(
            dir,
            postgres(
                2,
                """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                        - matchExpressions: [{key: kvm, operator: Exists}]
                """));
    Object affinity = at(kind(docs, "Deployment"), "spec/template/spec/affinity");
    assertThat(at(affinity, "podAntiAffinity")).isNull();
    assertThat(at(affinity, "nodeAffinity")).isNotNull();

    assertThatThrownBy(() -> render(dir, postgres(2, "podAntiAffinity: hard\n")))
        .hasMessageContaining("podAntiAffinity is \"hard\"");
  }

  @Test
  void aJournalOnPostgresqlGetsItsUrlsUserAndPasswordSecret(@TempDir Path dir) throws Exception {
    Path values =
        Files.writeString(
            dir.resolve("values.yaml"),
            """
            journal:
              postgres:
                jdbcUrl: jdbc:postgresql://pg.db:5432/virtflux
                r2dbcUrl: r2dbc:postgresql://pg.db:5432/virtflux
                existingSecret: virtflux-db
            """);

    List<Map<String, Object>> docs = render(values);

    Object config = yaml(str(kind(docs, "ConfigMap"), "data/application.yaml"));
    assertThat(str(config, "virtflux/journal/jdbc-url"))
        .isEqualTo("jdbc:postgresql://pg.db:5432/virtflux");
    assertThat(str(config, "virtflux/journal/r2dbc-url"))
        .isEqualTo("r2dbc:postgresql://pg.db:5432/virtflux");
    assertThat(str(config, "virtflux/journal/username")).isEqualTo("virtflux");
    assertThat(at(config, "virtflux/journal/path")).isNull();
    Object container = at(kind(docs, "Deployment"), "spec/template/spec/containers/0");
    assertThat((List<?>) at(container, "env"))
        .anySatisfy(
            env -> {
              assertThat(str(env, "name")).isEqualTo("VIRTFLUX_JOURNAL_PASSWORD");
              assertThat(str(env, "valueFrom/secretKeyRef/name")).isEqualTo("virtflux-db");
              assertThat(str(env, "valueFrom/secretKeyRef/key")).isEqualTo("password");
            });
  }

  @Test
  void aMultiHostInstallCarriesHostsTokensCredentialsAndMonitoring() {
    List<Map<String, Object>> docs =
        render(Path.of("src/test/resources/helm/multi-host-values.yaml"));
    Object pod = at(kind(docs, "Deployment"), "spec/template/spec");
    Object container = at(pod, "containers/0");
    assertThat(str(container, "image")).isEqualTo("registry.example/virtflux:1.2.3");
    Object config = yaml(str(kind(docs, "ConfigMap"), "data/application.yaml"));
    assertThat(str(config, "virtflux/shutdown/drain-timeout")).isEqualTo("300s");
    assertThat(at(pod, "terminationGracePeriodSeconds")).isEqualTo(320);
    assertThat((List<?>) at(config, "virtflux/hosts")).hasSize(3);
    assertThat(at(config, "virtflux/hosts/0/maxActions")).isEqualTo(4);
    assertThat(str(config, "virtflux/hosts/1/pciFilter")).isEqualTo("10de::0302");
    assertThat(at(config, "virtflux/vm/lifecycle/force-destroy")).isEqualTo(true);
    assertThat(str(config, "virtflux/datastores/1")).isEqualTo("/srv/images");

    List<String> secrets =
        docs.stream()
            .filter(d -> "Secret".equals(d.get("kind")))
            .map(d -> str(d, "metadata/name"))
            .toList();
    assertThat(secrets)
        .containsExactlyInAnyOrder(
            "vf-virtflux-tokens", "vf-virtflux-libvirt-tls", "vf-virtflux-libvirt-ssh");
    Object tokens =
        yaml(
            str(
                docs.stream()
                    .filter(d -> str(d, "metadata/name").endsWith("-tokens"))
                    .findFirst()
                    .orElseThrow(),
                "stringData/tokens.yaml"));
    assertThat(str(tokens, "virtflux/security/tokens/1/role")).isEqualTo("viewer");
    assertThat(container.toString()).contains("/home/virtflux/.pki/libvirt", "/home/virtflux/.ssh");
    // the service is told where the chart mounts the credential files
    assertThat(container.toString())
        .contains(
            "{name=VIRTFLUX_LIBVIRT_TLS_PKIPATH, value=/home/virtflux/.pki/libvirt}",
            "{name=VIRTFLUX_LIBVIRT_SSH_KEYFILE, value=/home/virtflux/.ssh/id_ed25519}",
            "{name=VIRTFLUX_LIBVIRT_SSH_KNOWNHOSTS, value=/home/virtflux/.ssh/known_hosts}");
    assertThat(str(kind(docs, "PersistentVolumeClaim"), "spec/resources/requests/storage"))
        .isEqualTo("5Gi");
    Map<String, Object> monitor = kind(docs, "ServiceMonitor");
    assertThat(str(monitor, "spec/endpoints/0/path")).isEqualTo("/actuator/prometheus");
    assertThat(str(monitor, "spec/endpoints/0/bearerTokenSecret/name"))
        .isEqualTo("prometheus-token");
  }
}
