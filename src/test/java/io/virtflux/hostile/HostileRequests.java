package io.virtflux.hostile;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile requests for every operation of an OpenAPI document, as jqwik arbitraries. What a route
 * takes (path and query parameters, body fields with their types, required fields) is read from the
 * document, so a new route or field is driven without touching this class; only the well-formed
 * starting point of each body ({@link #BASELINES}) and of each parameter ({@link #parameter}) is
 * written here, so that one mutation at a time reaches the checks behind the first one.
 */
final class HostileRequests {

  /** Marks names the generators try to inject: no element or attribute of sent XML may have it. */
  static final String MARKER = "vfpwn";

  /** The datastore of the test's hosts. */
  static final String DATASTORE = "/srv/vf/ds";

  /** The NIC script the test's policy allows. */
  static final String SCRIPT = "/etc/virtflux/nic-up.sh";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A parameter of an operation: path, query or header. */
  record Param(String name, String in, JsonNode schema, boolean required) {}

  /** An operation of the document. */
  record Route(
      String method, String path, List<Param> params, @Nullable JsonNode body, String bodyName) {

    String key() {
      return method + " " + path;
    }

    boolean eventStream() {
      return path.endsWith("/events");
    }
  }

  /** A field of a body: its path from the root (names and array indexes) and its schema. */
  record Field(List<Object> path, JsonNode schema, boolean required) {

    String dotted() {
      StringBuilder b = new StringBuilder();
      for (Object p : path) {
        if (p instanceof Integer i) {
          b.append('[').append(i).append(']');
        } else {
          b.append(b.isEmpty() ? "" : ".").append(p);
        }
      }
      return b.toString();
    }

    /** The last name on the path: what a problem must name. */
    String leaf() {
      for (int i = path.size() - 1; i >= 0; i--) {
        if (path.get(i) instanceof String s) {
          return s;
        }
      }
      return "";
    }

    String type() {
      return schema.path("type").asString("object");
    }
  }

  /**
   * One request to send.
   *
   * @param kind what is hostile about it (for the statistics)
   * @param field the field or parameter a 400 must name, or null when the fault has no field
   * @param body the bytes, or null without a body; {@link #hugeBody} overrides it
   * @param hugeBody a body of this many bytes, built when sent (10 MB: not kept in the samples)
   * @param chunked sent without Content-Length
   */
  record Hostile(
      String route,
      String kind,
      String method,
      String uri,
      Map<String, String> headers,
      byte @Nullable [] body,
      int hugeBody,
      boolean chunked,
      @Nullable String field,
      boolean eventStream) {

    @Override
    public String toString() {
      String b =
          hugeBody > 0
              ? "<" + hugeBody + " bytes" + (chunked ? ", chunked" : "") + ">"
              : body == null ? "" : excerpt(new String(body, StandardCharsets.UTF_8), 160);
      return kind + " " + method + " " + excerpt(uri, 200) + " " + headers + " " + b;
    }
  }

  /** The well-formed body of each request schema: one mutation at a time makes it hostile. */
  static final Map<String, String> BASELINES =
      Map.of(
          "DeployRequest",
          """
          {"host":"h1","template":{"name":"hostile-vm","memory":128,"vcpu":1,"cpu":0.5,
           "domainType":"kvm","emulator":"/usr/bin/qemu-system-x86_64",
           "disks":[{"source":"/srv/vf/ds/hostile.qcow2","driver":"qcow2","devPrefix":"vd",
             "cache":"none","io":"native","discard":"unmap","type":"disk","readonly":false,
             "target":"vda","iotune":{"totalBytesSec":1000000,"readIopsSec":100}}],
           "nics":[{"type":"bridge","source":"br0","model":"virtio","mac":"52:54:00:12:34:56",
             "script":"/etc/virtflux/nic-up.sh","filter":"clean-traffic","target":"hostile-tap0",
             "bandwidth":{"inbound":{"average":1000,"peak":2000,"burst":100},
               "outbound":{"average":1000,"peak":2000,"burst":64}}}],
           "os":{"arch":"x86_64","machine":"q35","kernel":"/srv/vf/ds/vmlinuz",
             "initrd":"/srv/vf/ds/initrd.img","kernelCmd":"console=ttyS0","root":"vda1"},
           "features":{"acpi":true,"apic":true,"pae":false,"guestAgent":true},
           "graphics":{"type":"vnc","listen":"127.0.0.1","port":5901},
           "console":{"type":"file","path":"/srv/vf/ds/hostile.log"},
           "raw":{"type":"kvm","data":"<clock offset='utc'/>"}}}
          """,
          "ActionRequest",
          """
          {"path":"/srv/vf/ds/vm1.save"}
          """,
          "Disk",
          """
          {"source":"/srv/vf/ds/extra.qcow2","driver":"qcow2","devPrefix":"vd","cache":"none",
           "io":"threads","discard":"ignore","type":"disk","readonly":false,
           "iotune":{"writeBytesSec":1000000}}
          """,
          "MediaRequest",
          """
          {"source":"/srv/vf/ds/new.iso"}
          """,
          "MigrationRequest",
          """
          {"destination":"h2","live":true,"mode":"peer-to-peer","copyStorage":"all",
           "diskPaths":{"vda":"/srv/vf/ds/moved.qcow2"},"bandwidthMiBps":100,
           "maxDowntimeMs":300,"timeoutSeconds":60,"onTimeout":"abort","persistent":true,
           "unsafe":false,"tunnelled":false,"autoConverge":true,"compressed":false}
          """,
          "Nic",
          """
          {"type":"bridge","source":"br0","model":"virtio","filter":"clean-traffic",
           "target":"hostile-tap1","bandwidth":{"inbound":{"average":1000},
             "outbound":{"average":2000,"peak":4000,"burst":64}}}
          """,
          "HostConfig",
          """
          {"name":"h-new","uri":"qemu+tcp://h-new.hostile.test/system","datastores":["/srv/vf/ds"],
           "domainType":"auto","maxActions":2,"parallelActions":true,
           "migrationAddress":"10.0.0.9","pciFilter":"10de:"}
          """);

  /**
   * Well-formed parameter values, by name (and by route where one name means different things):
   * hosts and VMs the recording gateway knows; routes that remove or disable a host get h3, which
   * the test can lose.
   */
  static String parameter(Route route, Param p) {
    String name = p.name();
    boolean destructive =
        route.path().startsWith("/api/v1/hosts/")
            && (route.method().equals("DELETE") || route.path().endsWith("/disable"));
    return switch (name) {
      case "name" ->
          route.path().startsWith("/api/v1/hosts")
              ? (destructive ? "h3" : "h1")
              // vm2 was created elsewhere: the one VM an import can take
              : route.path().endsWith("/import") ? "vm2" : "vm1";
      case "id" -> "00000000-0000-4000-8000-000000000000";
      case "action" -> "save";
      case "target" -> route.path().endsWith("/media") ? "sda" : "vda";
      case "mac" -> "52:54:00:00:00:01";
      case "destination" -> "h2";
      case "host" -> "h1";
      case "vm" -> "vm1";
      case "filter" -> "10de:";
      case "page" -> "0";
      case "size" -> "20";
      case "lastEventId", "Last-Event-ID" -> "0";
      default -> {
        JsonNode schema = p.schema();
        if (schema.has("enum")) {
          yield schema.get("enum").get(0).asString();
        }
        yield switch (schema.path("type").asString("string")) {
          case "boolean" -> "false";
          case "integer", "number" -> "1";
          case "array" ->
              schema.path("items").has("enum")
                  ? schema.path("items").path("enum").get(0).asString()
                  : "operation";
          default -> "x";
        };
      }
    };
  }

  // ---------------------------------------------------------------- the hostile values

  /** Strings that try XML injection: each names the marker as an element or attribute. */
  static final List<String> INJECTIONS =
      List.of(
          "x'/><" + MARKER + " a='1'/><x y='",
          "x\"/><" + MARKER + " a=\"1\"/><x y=\"",
          "</name><" + MARKER + "/><name>",
          "</source><" + MARKER + "/><source file='/etc/shadow'>",
          "' " + MARKER + "='1",
          "\" " + MARKER + "=\"1",
          "<" + MARKER + ">",
          "]]><" + MARKER + "/>",
          "<![CDATA[<" + MARKER + "/>]]>",
          "<!DOCTYPE "
              + MARKER
              + " [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><"
              + MARKER
              + ">&xxe;</"
              + MARKER
              + ">",
          "<?xml version=\"1.0\"?><" + MARKER + "/>",
          "&xxe;",
          "&" + MARKER + ";",
          "&amp;&lt;&gt;&quot;&apos;",
          "&#0;&#x1F;&#xD800;",
          "<!-- " + MARKER + " -->",
          "<" + MARKER + ":a xmlns:" + MARKER + "='urn:x'/>",
          "<devices><disk type='file'><source file='/etc/shadow'/><target dev='vdz'/></disk></devices>");

  /** Unicode that is hard to carry: controls, NUL, RTL, BOM, lone surrogates, non-characters. */
  static final List<String> UNICODE =
      List.of(
          "\u0000",
          "vm\u00001",
          "\u0001\u0002\u001f\u007f",
          "\r\n\t",
          "\u202Evm1",
          "\u200F\u200E\u2066",
          "\uFEFFvm1",
          "\uD800",
          "\uDFFF\uD800",
          "\uFFFE\uFFFF",
          "ｖｍ１",
          "\uD83D\uDE00",
          "İıß",
          "e\u0301\u0301\u0301",
          "\u2028\u2029",
          "");

  /** Path tricks: traversal, other roots, prefixes of the datastore, encodings, symlink-ish. */
  static final List<String> PATHS =
      List.of(
          "../../etc/passwd",
          "/etc/shadow",
          DATASTORE + "/../../../etc/shadow",
          DATASTORE + "/./x.qcow2",
          DATASTORE + "//x.qcow2",
          DATASTORE + "/",
          DATASTORE,
          DATASTORE + "/..",
          DATASTORE + "-evil/x.qcow2",
          DATASTORE + "x/x.qcow2",
          "%2e%2e/%2e%2e/etc/passwd",
          DATASTORE + "/%2e%2e/%2e%2e/etc/shadow",
          "..\\..\\windows\\system32",
          "/proc/self/root/etc/shadow",
          "/dev/sda",
          DATASTORE + "/x\u0000.qcow2",
          DATASTORE + "/x\n/etc/shadow",
          "file:///etc/passwd",
          "~root/.ssh/id_rsa",
          "x.qcow2",
          "/srv/vf/ds/link-to-root/etc/shadow",
          "/srv/vf/./ds/x.qcow2",
          "//srv/vf/ds/x.qcow2",
          "/usr/bin/qemu-system-x86_64/../../../bin/sh",
          "/bin/sh",
          "/usr/bin/kvm ",
          "/etc/virtflux/nic-up.sh; rm -rf /");

  /** Paths inside the datastore whose file names carry XML metacharacters: must be escaped. */
  static final List<String> VALID_HOSTILE_PATHS =
      List.of(
          DATASTORE + "/a'<b>&c\".qcow2",
          DATASTORE + "/]]>&xxe;.img",
          DATASTORE + "/<" + MARKER + "/>.img",
          DATASTORE + "/x' " + MARKER + "='1.img",
          DATASTORE + "/\u202Egpj.exe",
          DATASTORE + "/\uD83D\uDE00/deep/dir/x.raw",
          DATASTORE + "/...",
          DATASTORE + "/..x");

  /** JSON number tokens that hurt: signs, limits, overflow, exponents, non-numbers. */
  static final List<String> NUMBERS =
      List.of(
          "-1",
          "0",
          "-0",
          "1",
          "2147483647",
          "2147483648",
          "-2147483649",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "99999999999999999999999999999999999999",
          "1e400",
          "-1e400",
          "1e-400",
          "1.5",
          "0.0001",
          "1E+2",
          "\"NaN\"",
          "\"Infinity\"",
          "\"-Infinity\"",
          "\"1\"",
          "\"0x10\"",
          "NaN",
          "Infinity",
          "0x10",
          "01",
          "+1",
          ".5");

  /** Values of every JSON type, for wrong-type mutations. */
  static final List<String> TYPES =
      List.of(
          "\"text\"",
          "\"\"",
          "123",
          "-1.5",
          "true",
          "false",
          "null",
          "[]",
          "{}",
          "[1,\"a\",null]",
          "{\"a\":{\"b\":[]}}",
          "[[[[[]]]]]");

  /** Bodies that are not (good) JSON. */
  static final List<String> MALFORMED =
      List.of(
          "",
          "{",
          "}",
          "[",
          "{\"template\":",
          "nul",
          "{'host':'h1'}",
          "{\"host\":\"h1\",}",
          "{\"host\" \"h1\"}",
          "{}x",
          "{}{}",
          "/* c */{}",
          "{\"host\":NaN}",
          "[]",
          "\"x\"",
          "1",
          "null",
          "true",
          "{\"a\":\"\\ud800\"}",
          "{\"a\":\"\\u00\"}",
          "{\"a\":\"\u0000\"}",
          "\uFEFF{}");

  /** Content types a JSON route should refuse or at least not misread. */
  static final List<String> CONTENT_TYPES =
      List.of(
          "text/plain",
          "application/xml",
          "text/xml",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/json; charset=utf-16",
          "application/json; charset=bogus-1",
          "application/*",
          "*/*",
          "application/json\u0000",
          "");

  /** An XML body with an external entity, for the routes' XML decoder if they have one. */
  static final String XXE_BODY =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
          + "<r><host>&xxe;</host><destination>&xxe;</destination><source>&xxe;</source>"
          + "<path>&xxe;</path><name>&xxe;</name></r>";

  /** Path parameter values: traversal and encodings, raw (already as they go on the wire). */
  static final List<String> RAW_PATH_SEGMENTS =
      List.of(
          "..",
          ".",
          "%2e%2e",
          "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
          "..%2f..%2fhosts",
          "vm1%2f..%2f..%2fhosts",
          "vm1/../../hosts",
          "%252e%252e",
          "vm1%00",
          "%00",
          "vm1;x=1",
          "%c0%ae%c0%ae",
          "%ff%fe",
          "%",
          "%zz",
          "vm1%0d%0aX-Injected:%201",
          "%20",
          "vm1/",
          "~",
          "%3Cvfpwn%2F%3E",
          "%26xxe%3B");

  // ---------------------------------------------------------------- the document

  /** The operations under /api/v1 of the served document. */
  static List<Route> routes(JsonNode doc) {
    List<Route> routes = new ArrayList<>();
    for (var path : doc.get("paths").properties()) {
      if (!path.getKey().startsWith("/api/v1")) {
        continue;
      }
      for (var op : path.getValue().properties()) {
        List<Param> params = new ArrayList<>();
        for (JsonNode p : op.getValue().path("parameters")) {
          if (p.has("$ref")) {
            // a shared parameter (components/parameters: Idempotency-Key, whose refusals
            // IdempotencyKeyTest proves) is left out: one more parameter would change what every
            // route's fixed seed draws
            continue;
          }
          params.add(
              new Param(
                  p.get("name").asString(),
                  p.get("in").asString(),
                  resolve(doc, p.path("schema")),
                  p.path("required").asBoolean(false)));
        }
        JsonNode schema =
            op.getValue()
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        String bodyName =
            schema.has("$ref") ? schema.get("$ref").asString().replaceAll(".*/", "") : "";
        routes.add(
            new Route(
                op.getKey().toUpperCase(Locale.ROOT),
                path.getKey(),
                params,
                schema.isMissingNode() ? null : resolve(doc, schema),
                bodyName));
      }
    }
    return routes;
  }

  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    return resolve(doc, schema, 0);
  }

  /** The schema with every $ref replaced by its target (to a depth of 8: no cycles here). */
  private static JsonNode resolve(JsonNode doc, JsonNode schema, int depth) {
    if (depth > 8) {
      return NODES.objectNode();
    }
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asString().replaceAll(".*/", "");
      return resolve(doc, doc.path("components").path("schemas").path(name), depth + 1);
    }
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode copy = ((ObjectNode) schema).deepCopy();
    if (schema.has("properties")) {
      ObjectNode props = NODES.objectNode();
      for (var e : schema.get("properties").properties()) {
        props.set(e.getKey(), resolve(doc, e.getValue(), depth + 1));
      }
      copy.set("properties", props);
    }
    if (schema.has("items")) {
      copy.set("items", resolve(doc, schema.get("items"), depth + 1));
    }
    if (schema.path("additionalProperties").isObject()) {
      copy.set("additionalProperties", resolve(doc, schema.get("additionalProperties"), depth + 1));
    }
    return copy;
  }

  /** Every field of a body schema, depth first (arrays by their first element, maps by vda). */
  static List<Field> fields(JsonNode schema) {
    List<Field> all = new ArrayList<>();
    fields(schema, new ArrayList<>(), all, 0);
    return all;
  }

  private static void fields(JsonNode schema, List<Object> at, List<Field> all, int depth) {
    if (depth > 6) {
      return;
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asString()));
    for (var e : schema.path("properties").properties()) {
      List<Object> path = new ArrayList<>(at);
      path.add(e.getKey());
      all.add(new Field(path, e.getValue(), required.contains(e.getKey())));
      below(e.getValue(), path, all, depth);
    }
  }

  private static void below(JsonNode schema, List<Object> path, List<Field> all, int depth) {
    if (schema.has("properties")) {
      fields(schema, path, all, depth + 1);
    } else if (schema.has("items")) {
      List<Object> element = new ArrayList<>(path);
      element.add(0);
      all.add(new Field(element, schema.get("items"), false));
      below(schema.get("items"), element, all, depth + 1);
    } else if (schema.path("additionalProperties").isObject()) {
      List<Object> entry = new ArrayList<>(path);
      entry.add("vda");
      all.add(new Field(entry, schema.get("additionalProperties"), false));
    }
  }

  /** A body for schemas without a baseline: their required fields, each with a plain value. */
  static JsonNode minimal(JsonNode schema) {
    ObjectNode o = NODES.objectNode();
    for (JsonNode r : schema.path("required")) {
      JsonNode s = schema.path("properties").path(r.asString());
      o.set(r.asString(), plain(s));
    }
    return o;
  }

  private static JsonNode plain(JsonNode s) {
    return switch (s.path("type").asString("object")) {
      case "integer", "number" -> NODES.numberNode(1);
      case "boolean" -> NODES.booleanNode(false);
      case "array" -> NODES.arrayNode().add(plain(s.path("items")));
      case "string" ->
          NODES.stringNode(s.has("enum") ? s.get("enum").get(0).asString() : "hostile");
      default -> minimal(s);
    };
  }

  // ---------------------------------------------------------------- the arbitraries

  private final List<Route> routes;
  private final AtomicInteger next = new AtomicInteger();

  HostileRequests(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /**
   * Requests for every route in turn (so each gets the same number of tries), each made hostile by
   * one generated fault.
   */
  Arbitrary<Hostile> all() {
    Map<String, Arbitrary<Hostile>> byRoute = new LinkedHashMap<>();
    for (Route r : routes) {
      byRoute.put(r.key(), forRoute(r));
    }
    return Arbitraries.create(
            () -> routes.get(Math.floorMod(next.getAndIncrement(), routes.size())))
        .flatMap(r -> byRoute.get(r.key()));
  }

  Arbitrary<Hostile> forRoute(Route route) {
    List<Tuple2<Integer, Arbitrary<Hostile>>> kinds = new ArrayList<>();
    kinds.add(Tuple.of(2, Arbitraries.just(build(route, "valid", null, Map.of(), null))));
    List<Param> params = route.params();
    if (!params.isEmpty()) {
      kinds.add(
          Tuple.of(
              8,
              Combinators.combine(Arbitraries.of(params), parameterValues())
                  .as(
                      (p, v) ->
                          build(route, "parameter " + p.in(), null, Map.of(p.name(), v), null))));
    }
    List<Param> typed =
        params.stream()
            .filter(
                p ->
                    !p.schema().path("type").asString("string").equals("string")
                        || p.schema().has("enum"))
            .toList();
    if (!typed.isEmpty()) {
      kinds.add(
          Tuple.of(
              4,
              Combinators.combine(Arbitraries.of(typed), typedParameterValues())
                  .as((p, v) -> build(route, "parameter type", null, Map.of(p.name(), v), null))));
    }
    List<Param> missing =
        params.stream().filter(Param::required).filter(p -> !p.in().equals("path")).toList();
    if (!missing.isEmpty()) {
      kinds.add(
          Tuple.of(
              1,
              Arbitraries.of(missing)
                  .map(
                      p -> build(route, "parameter missing", null, Map.of(p.name(), DROP), null))));
    }
    kinds.add(
        Tuple.of(
            1,
            Combinators.combine(Arbitraries.of("zz", MARKER, "page[", "a%00b"), strings())
                .as((n, v) -> build(route, "parameter unknown", null, Map.of(n, v), null))));
    if (route.body() != null) {
      bodyKinds(route, kinds);
    }
    return Arbitraries.frequencyOf(kinds.toArray(Tuple2[]::new));
  }

  /** Marks a parameter to leave out. */
  static final String DROP = "\u0000drop";

  @SuppressWarnings("unchecked")
  private void bodyKinds(Route route, List<Tuple2<Integer, Arbitrary<Hostile>>> kinds) {
    List<Field> fields = fields(route.body());
    List<Field> strings = fields.stream().filter(f -> f.type().equals("string")).toList();
    List<Field> numbers =
        fields.stream()
            .filter(f -> f.type().equals("integer") || f.type().equals("number"))
            .toList();
    List<Field> enums =
        fields.stream()
            .filter(
                f ->
                    f.schema().has("enum")
                        || f.schema().path("pattern").asString("").matches("[a-z|-]+"))
            .toList();
    List<Field> objects = new ArrayList<>();
    objects.add(new Field(List.of(), route.body(), true));
    fields.stream().filter(f -> f.schema().has("properties")).forEach(objects::add);
    if (!strings.isEmpty()) {
      kinds.add(
          Tuple.of(
              14,
              Combinators.combine(Arbitraries.of(strings), strings())
                  .as((f, s) -> mutate(route, "string", f, jsonString(s)))));
      // every string field at once, each with its own value: so each run puts metacharacters,
      // entities and injections in every string field (several refusals: no one field to name)
      kinds.add(
          Tuple.of(
              3,
              Arbitraries.oneOf(Arbitraries.of(INJECTIONS), Arbitraries.of(VALID_HOSTILE_PATHS))
                  .list()
                  .ofSize(strings.size())
                  .map(values -> everyString(route, strings, values))));
      List<Field> paths = strings.stream().filter(HostileRequests::pathLike).toList();
      if (!paths.isEmpty()) {
        kinds.add(
            Tuple.of(
                8,
                Combinators.combine(Arbitraries.of(paths), Arbitraries.of(PATHS))
                    .as((f, s) -> mutate(route, "path", f, jsonString(s)))));
        kinds.add(
            Tuple.of(
                3,
                Combinators.combine(Arbitraries.of(paths), Arbitraries.of(VALID_HOSTILE_PATHS))
                    .as((f, s) -> mutate(route, "path in datastore", f, jsonString(s)))));
      }
    }
    kinds.add(
        Tuple.of(
            8,
            Combinators.combine(Arbitraries.of(fields), Arbitraries.of(TYPES))
                .filter((f, t) -> !sameType(f, t))
                .as((f, t) -> mutate(route, "wrong type", f, t))));
    if (!numbers.isEmpty()) {
      kinds.add(
          Tuple.of(
              6,
              Combinators.combine(Arbitraries.of(numbers), numbers())
                  .as(
                      (f, n) ->
                          JSON_NUMBER.matcher(n).matches() || n.startsWith("\"")
                              ? mutate(route, "number", f, n)
                              // +1, NaN, 0x10: not JSON, so there is no field to name
                              : unnamed(mutate(route, "number (not JSON)", f, n)))));
    }
    if (!enums.isEmpty()) {
      kinds.add(
          Tuple.of(
              4,
              Combinators.combine(
                      Arbitraries.of(enums),
                      Arbitraries.of("none ", "NONE", "bogus", "", "all|none", MARKER, "\u0130"))
                  .as((f, v) -> mutate(route, "enum", f, jsonString(v)))));
    }
    List<Field> required = fields.stream().filter(Field::required).toList();
    if (!required.isEmpty()) {
      kinds.add(Tuple.of(3, Arbitraries.of(required).map(f -> mutate(route, "missing", f, DROP))));
    }
    kinds.add(
        Tuple.of(
            3,
            Combinators.combine(
                    Arbitraries.of(objects),
                    Arbitraries.of(
                        "memroy", MARKER, "<" + MARKER + "/>", "__proto__", "a.b", "", "\u202Ex"))
                .as((o, n) -> unknownField(route, o, n))));
    kinds.add(
        Tuple.of(
            2,
            Combinators.combine(
                    Arbitraries.integers().between(600, 10_000), Arbitraries.of("[", "{\"a\":"))
                .as((depth, open) -> nested(route, depth, open))));
    kinds.add(
        Tuple.of(
            2,
            Combinators.combine(Arbitraries.of(fields), Arbitraries.integers().between(600, 10_000))
                .as(
                    (f, depth) ->
                        mutate(route, "nested field", f, "[".repeat(depth) + "]".repeat(depth)))));
    kinds.add(
        Tuple.of(
            3,
            Arbitraries.of(MALFORMED)
                .map(
                    b ->
                        build(
                            route,
                            "malformed",
                            b.getBytes(StandardCharsets.UTF_8),
                            Map.of(),
                            "application/json"))));
    kinds.add(
        Tuple.of(
            1,
            Arbitraries.of(
                    new byte[] {(byte) 0xc3, 0x28},
                    new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'},
                    new byte[] {(byte) 0xc0, (byte) 0xae})
                .map(b -> build(route, "bad utf-8", b, Map.of(), "application/json"))));
    kinds.add(
        Tuple.of(
            2,
            Combinators.combine(Arbitraries.of(CONTENT_TYPES), Arbitraries.of(true, false))
                .as(
                    (ct, xml) ->
                        build(
                            route,
                            "content type",
                            (xml ? XXE_BODY : baselineText(route)).getBytes(StandardCharsets.UTF_8),
                            Map.of(),
                            ct))));
    kinds.add(Tuple.of(1, Arbitraries.of(true, false).map(chunked -> huge(route, chunked))));
  }

  private static final java.util.regex.Pattern JSON_NUMBER =
      java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private static Hostile unnamed(Hostile h) {
    return new Hostile(
        h.route(),
        h.kind(),
        h.method(),
        h.uri(),
        h.headers(),
        h.body(),
        h.hugeBody(),
        h.chunked(),
        null,
        h.eventStream());
  }

  private Hostile huge(Route route, boolean chunked) {
    Hostile base =
        build(route, chunked ? "10 MB chunked" : "10 MB", null, Map.of(), "application/json");
    return new Hostile(
        base.route(),
        base.kind(),
        base.method(),
        base.uri(),
        base.headers(),
        null,
        10 << 20,
        chunked,
        null,
        base.eventStream());
  }

  private Hostile nested(Route route, int depth, String open) {
    String close = open.equals("[") ? "]" : "}";
    String body = open.repeat(depth) + (open.equals("[") ? "" : "1") + close.repeat(depth);
    return build(
        route, "nested body", body.getBytes(StandardCharsets.UTF_8), Map.of(), "application/json");
  }

  private static boolean pathLike(Field f) {
    String leaf = f.leaf();
    return Set.of("source", "path", "kernel", "initrd", "script", "emulator", "datastores", "uri")
            .contains(leaf)
        || f.path().contains("diskPaths");
  }

  private static boolean sameType(Field f, String token) {
    String t = f.type();
    char c = token.charAt(0);
    return switch (t) {
      case "string" -> c == '"';
      case "integer", "number" -> Character.isDigit(c) || c == '-';
      case "boolean" -> c == 't' || c == 'f';
      case "array" -> c == '[';
      default -> c == '{';
    };
  }

  /** Strings for every string field: injections, unicode, huge, random, metacharacter soups. */
  static Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(INJECTIONS)),
        Tuple.of(3, Arbitraries.of(UNICODE)),
        Tuple.of(2, Arbitraries.of(PATHS)),
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
        Tuple.of(
            2,
            Arbitraries.strings()
                .withChars("<>&'\"]![CDATA/-;#x:=" + MARKER)
                .ofMinLength(1)
                .ofMaxLength(60)),
        Tuple.of(
            1,
            Combinators.combine(
                    Arbitraries.of("A", "<", "&amp;", "\uD83D\uDE00", "\u202E", "é", "../"),
                    Arbitraries.integers().between(60_000, 120_000))
                .as((s, n) -> s.repeat(Math.max(1, n / s.length())))));
  }

  private static Arbitrary<String> numbers() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(NUMBERS)),
        Tuple.of(1, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(
            1,
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(63), BigInteger.TWO.pow(200))
                .map(b -> (b.testBit(0) ? "-" : "") + b)),
        Tuple.of(
            1, Arbitraries.doubles().map(d -> Double.toString(d).replace("Infinity", "1e999"))));
  }

  /** Values for any parameter, before percent-encoding; raw segments go on the wire as they are. */
  private static Arbitrary<String> parameterValues() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, strings()), Tuple.of(3, Arbitraries.of(RAW_PATH_SEGMENTS).map(s -> RAW + s)));
  }

  private static Arbitrary<String> typedParameterValues() {
    return Arbitraries.oneOf(
        Arbitraries.of(NUMBERS).map(n -> n.replace("\"", "")),
        Arbitraries.of(
            "yes", "TRUE", "1", "", "on", "null", "[]", "bogus", "deploy", "Deploy", MARKER));
  }

  /** Prefix of parameter values that go on the wire without encoding. */
  static final String RAW = "\u0000raw:";

  // ---------------------------------------------------------------- building requests

  private String baselineText(Route route) {
    return JSON.writeValueAsString(baseline(route));
  }

  private static JsonNode baseline(Route route) {
    String text = BASELINES.get(route.bodyName());
    return text != null ? JSON.readTree(text) : minimal(route.body());
  }

  private Hostile mutate(Route route, String kind, Field field, String token) {
    JsonNode root = baseline(route);
    String placeholder = "@@hostile-value@@";
    JsonNode body = set(root, field.path(), 0, token.equals(DROP) ? null : placeholder);
    String text = JSON.writeValueAsString(body);
    if (!token.equals(DROP)) {
      text = text.replace("\"" + placeholder + "\"", token);
    }
    return build(
        route,
        kind,
        text.getBytes(StandardCharsets.UTF_8),
        Map.of(),
        "application/json",
        field.leaf());
  }

  private Hostile everyString(Route route, List<Field> fields, List<String> values) {
    JsonNode body = baseline(route);
    Map<String, String> tokens = new LinkedHashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      String placeholder = "@@hostile-value-" + i + "@@";
      body = set(body, fields.get(i).path(), 0, placeholder);
      tokens.put("\"" + placeholder + "\"", jsonString(values.get(i)));
    }
    String text = JSON.writeValueAsString(body);
    for (var t : tokens.entrySet()) {
      text = text.replace(t.getKey(), t.getValue());
    }
    return build(
        route,
        "every string",
        text.getBytes(StandardCharsets.UTF_8),
        Map.of(),
        "application/json",
        null);
  }

  private Hostile unknownField(Route route, Field object, String name) {
    JsonNode root = baseline(route);
    List<Object> path = new ArrayList<>(object.path());
    path.add(name);
    JsonNode body = set(root, path, 0, "@@hostile-value@@");
    String text = JSON.writeValueAsString(body).replace("\"@@hostile-value@@\"", "1");
    return build(
        route,
        "unknown field",
        text.getBytes(StandardCharsets.UTF_8),
        Map.of(),
        "application/json",
        name.isEmpty() ? null : name);
  }

  /** The node with the value at {@code path} set to {@code value} (removed when null). */
  private static JsonNode set(JsonNode node, List<Object> path, int i, @Nullable String value) {
    Object key = path.get(i);
    boolean last = i == path.size() - 1;
    if (key instanceof Integer index) {
      ArrayNode array = node instanceof ArrayNode a ? a : NODES.arrayNode();
      while (array.size() <= index) {
        array.add(NODES.objectNode());
      }
      if (last) {
        if (value == null) {
          array.remove(index);
        } else {
          array.set(index, NODES.stringNode(value));
        }
      } else {
        array.set(index, set(array.get(index), path, i + 1, value));
      }
      return array;
    }
    ObjectNode object = node instanceof ObjectNode o ? o : NODES.objectNode();
    String name = (String) key;
    if (last) {
      if (value == null) {
        object.remove(name);
      } else {
        object.put(name, value);
      }
    } else {
      object.set(name, set(object.path(name), path, i + 1, value));
    }
    return object;
  }

  private Hostile build(
      Route route,
      String kind,
      byte @Nullable [] body,
      Map<String, String> changed,
      @Nullable String contentType) {
    return build(
        route,
        kind,
        body,
        changed,
        contentType,
        changed.isEmpty() ? null : changed.keySet().iterator().next());
  }

  private Hostile build(
      Route route,
      String kind,
      byte @Nullable [] body,
      Map<String, String> changed,
      @Nullable String contentType,
      @Nullable String field) {
    String path = route.path();
    StringBuilder query = new StringBuilder();
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (Param p : route.params()) {
      if (p.required() || p.in().equals("path")) {
        values.put(p.name(), parameter(route, p));
      }
    }
    values.putAll(changed);
    for (var v : values.entrySet()) {
      Param p =
          route.params().stream()
              .filter(x -> x.name().equals(v.getKey()))
              .findFirst()
              .orElse(new Param(v.getKey(), "query", NODES.objectNode(), false));
      String value = v.getValue();
      if (value.equals(DROP)) {
        continue;
      }
      boolean raw = value.startsWith(RAW);
      String text = raw ? value.substring(RAW.length()) : value;
      switch (p.in()) {
        case "path" ->
            path =
                path.replace(
                    "{" + p.name() + "}",
                    raw ? text : UriUtils.encodePathSegment(text, StandardCharsets.UTF_8));
        case "header" -> headers.put(p.name(), headerSafe(text));
        default ->
            query
                .append(query.isEmpty() ? "?" : "&")
                .append(UriUtils.encodeQueryParam(p.name(), StandardCharsets.UTF_8))
                .append('=')
                .append(raw ? text : UriUtils.encodeQueryParam(text, StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = body;
    String type = contentType;
    if (bytes == null && route.body() != null && !kind.startsWith("10 MB")) {
      bytes = baselineText(route).getBytes(StandardCharsets.UTF_8);
      type = "application/json";
    }
    if (type != null && !type.isEmpty()) {
      headers.put("Content-Type", headerSafe(type));
    }
    String f = kind.equals("valid") || kind.startsWith("parameter unknown") ? null : field;
    return new Hostile(
        route.key(),
        kind,
        route.method(),
        path + query,
        headers,
        bytes,
        0,
        false,
        f,
        route.eventStream());
  }

  /** Header values can't carry CR, LF or NUL: those become '?' (the rest goes as it is). */
  private static String headerSafe(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(8192)
        .forEach(c -> b.append(c < 0x20 || c == 0x7f || c > 0xff ? '?' : (char) c));
    return b.toString();
  }

  /** A JSON string literal; lone surrogates and controls escaped, everything else raw UTF-8. */
  static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static String excerpt(String s, int max) {
    String flat = s.replaceAll("[\\p{Cntrl}]", "?");
    return flat.length() <= max ? flat : flat.substring(0, max) + "…(" + s.length() + ")";
  }
}
