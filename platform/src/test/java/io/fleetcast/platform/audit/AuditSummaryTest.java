package io.fleetcast.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AuditSummaryTest {

    @Test
    void changed_lists_only_the_fields_that_differ() {
        Map<String, Object> before = fields("tv-55", "r1", List.of("4k"));
        Map<String, Object> after = fields("tv-55", "r2", List.of("4k", "hdr"));

        JsonObject summary = AuditSummary.changed(before, after);

        assertThat(summary)
                .isEqualTo(new JsonObject("{\"before\":{\"hardwareRevision\":\"r1\",\"capabilities\":[\"4k\"]},"
                        + "\"after\":{\"hardwareRevision\":\"r2\",\"capabilities\":[\"4k\",\"hdr\"]}}"));
    }

    @Test
    void changed_shows_a_field_that_lost_its_value_as_null() {
        JsonObject summary = AuditSummary.changed(fields("tv", "r1", List.of()), fields("tv", null, List.of()));

        assertThat(summary.getJsonObject("before").getString("hardwareRevision"))
                .isEqualTo("r1");
        assertThat(summary.getJsonObject("after").containsKey("hardwareRevision"))
                .isTrue();
        assertThat(summary.getJsonObject("after").getValue("hardwareRevision")).isNull();
    }

    @Test
    void changed_is_empty_when_nothing_changed() {
        assertThat(AuditSummary.changed(fields("tv", "r1", List.of("4k")), fields("tv", "r1", List.of("4k"))))
                .isEmpty();
    }

    @Test
    void created_and_deleted_leave_out_fields_without_value() {
        Map<String, Object> model = fields("tv", null, List.of());

        assertThat(AuditSummary.created(model).encode()).isEqualTo("{\"after\":{\"name\":\"tv\",\"capabilities\":[]}}");
        assertThat(AuditSummary.deleted(model).encode())
                .isEqualTo("{\"before\":{\"name\":\"tv\",\"capabilities\":[]}}");
    }

    @Test
    void many_counts_every_id_but_lists_at_most_a_hundred() {
        List<Integer> ids = IntStream.range(0, 250).boxed().toList();

        JsonObject summary = AuditSummary.many("deviceIds", ids);

        assertThat(summary.getInteger("count")).isEqualTo(250);
        assertThat(summary.getJsonArray("deviceIds")).hasSize(AuditSummary.MAX_IDS);
        assertThat(summary.getJsonArray("deviceIds").getString(0)).isEqualTo("0");
    }

    private static Map<String, Object> fields(String name, String hardwareRevision, List<String> capabilities) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("hardwareRevision", hardwareRevision);
        fields.put("capabilities", capabilities);
        return fields;
    }
}
