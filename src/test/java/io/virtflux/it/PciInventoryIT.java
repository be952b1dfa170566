package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * The PCI inventory of a real lab host (libvirtd in a container sees the machine's PCI devices),
 * and filters applied to it. Expected subsets are computed from the unfiltered table, so the test
 * holds on any machine.
 */
class PciInventoryIT extends LabServiceTest {

  private List<Map<String, Object>> devices(String filter) {
    String uri =
        "/api/v1/hosts/" + SINGLE + "/pci-devices" + (filter == null ? "" : "?filter=" + filter);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list =
        api
            .client()
            .get()
            .uri(uri)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBodyList(Map.class)
            .returnResult()
            .getResponseBody()
            .stream()
            .map(m -> (Map<String, Object>) m)
            .toList();
    return list;
  }

  private static List<Object> addresses(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> r.get("address")).toList();
  }

  @Test
  void theInventoryHasParsedRowsAndFiltersSelectSubsets() {
    List<Map<String, Object>> all = devices(null);
    assertThat(all).isNotEmpty();
    for (Map<String, Object> d : all) {
      assertThat(d.get("address").toString())
          .matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
      assertThat(d.get("address").toString()).endsWith(d.get("shortAddress").toString());
      assertThat(d.get("vendor").toString()).matches("[0-9a-f]{4}");
      assertThat(d.get("device").toString()).matches("[0-9a-f]{4}");
      assertThat(d.get("class").toString()).matches("[0-9a-f]{4}");
      assertThat(d.get("progIf").toString()).matches("[0-9a-f]{2}");
      assertThat(d.get("type"))
          .isEqualTo(d.get("vendor") + ":" + d.get("device") + ":" + d.get("class"));
      assertThat(d).doesNotContainKey("vm"); // no VM on it-a passes a device through
    }
    Map<String, Object> first = all.get(0);
    String vendor = first.get("vendor").toString();
    String cls = first.get("class").toString();
    String device = first.get("device").toString();
    String progIf = first.get("progIf").toString();
    Map<String, Predicate<Map<String, Object>>> table =
        Map.of(
            "::" + cls,
            d -> cls.equals(d.get("class")),
            vendor + "::",
            d -> vendor.equals(d.get("vendor")),
            vendor + ":" + device + ":" + cls,
            d -> d.get("type").equals(vendor + ":" + device + ":" + cls),
            vendor.toUpperCase() + ":" + device,
            d -> vendor.equals(d.get("vendor")) && device.equals(d.get("device")),
            "ffff:ffff:ffff,::" + cls,
            d -> cls.equals(d.get("class")),
            "ffff::",
            d -> false,
            "*:*:" + cls.substring(0, 2) + "xx",
            d -> d.get("class").toString().startsWith(cls.substring(0, 2)),
            "::" + cls + ":" + progIf,
            d -> cls.equals(d.get("class")) && progIf.equals(d.get("progIf")),
            "::",
            d -> true);
    table.forEach(
        (filter, expected) ->
            assertThat(addresses(devices(filter)))
                .as(filter)
                .isEqualTo(addresses(all.stream().filter(expected).toList())));

    for (String bad : List.of("10de", "10000::", "zzzz::", "10de::0300:1:2", "::0300:100")) {
      Map<String, Object> problem =
          api.refused(
              HttpMethod.GET, "/api/v1/hosts/" + SINGLE + "/pci-devices?filter=" + bad, null, 400);
      assertThat(problem.toString()).as(bad).contains("field=filter");
    }
  }

  @Test
  void prometheusShowsLibvirtCallLatencyAndHostGauges() {
    devices(null);
    String metrics =
        api.client()
            .mutate()
            .codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20))
            .build()
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .contains(
            "virtflux_libvirt_calls_seconds_count{api=\"nodeDevices\",host=\""
                + SINGLE
                + "\",outcome=\"ok\"}")
        .contains("virtflux_lane_queued{host=\"" + SINGLE + "\"}")
        .contains("virtflux_host_state{host=\"" + SINGLE + "\",state=\"ONLINE\"} 1.0");
  }
}
