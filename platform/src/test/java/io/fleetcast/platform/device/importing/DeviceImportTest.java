package io.fleetcast.platform.device.importing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.Callers;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tenants;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = Tenants.ACME))
class DeviceImportTest {

    private static final String IMPORT = "/api/v1/devices/import";

    @Test
    void imports_good_csv_rows_and_reports_each_bad_one() {
        String model = Api.createModel(Api.unique("tv"));
        String earlier = Api.unique("SN");
        Api.importCsv("serial,model,region\n" + earlier + "," + model + ",us-east")
                .statusCode(200);
        String good = Api.unique("SN");
        String plain = Api.unique("SN");
        String unknownModel = Api.unique("SN");
        String badTags = Api.unique("SN");
        String unbalanced = Api.unique("SN");

        Api.importCsv(String.join(
                        "\n",
                        "serial,model,region,tags",
                        good + "," + model + ",eu-west,beta;kitchen", // line 2
                        plain + "," + model + ",,", // line 3
                        unknownModel + ",no-such-model,eu-west,", // line 4
                        "bad serial," + model + ",eu-west,", // line 5
                        badTags + "," + model + ",eu-west,beta;not a tag", // line 6
                        "\"" + unbalanced + "," + model + ",eu-west,", // line 7
                        good + "," + model + ",us-east,", // line 8
                        earlier + "," + model + ",eu-west,")) // line 9
                .statusCode(200)
                .body("rows", equalTo(8))
                .body("created", equalTo(2))
                .body("rejected", equalTo(6))
                .body("rolledBack", equalTo(false))
                .body("errorsTruncated", equalTo(false))
                .body("errors.line", contains(4, 5, 6, 7, 8, 9))
                .body(
                        "errors.code",
                        contains(
                                "UNKNOWN_MODEL",
                                "INVALID_SERIAL",
                                "INVALID_TAGS",
                                "MALFORMED_ROW",
                                "DUPLICATE_SERIAL",
                                "DUPLICATE_SERIAL"))
                .body("errors.serial", contains(unknownModel, "bad serial", badTags, null, good, earlier));

        assertThat(existing(good, plain, unknownModel, badTags, unbalanced, earlier))
                .containsExactlyInAnyOrder(good, plain, earlier);
        device(good)
                .body("model", equalTo(model))
                .body("region", equalTo("eu-west"))
                .body("tags", contains("beta", "kitchen"))
                .body("status", equalTo("PREREGISTERED"))
                .body("firmwareVersion", nullValue());
        device(plain).body("region", nullValue()).body("tags", equalTo(List.of()));
        device(earlier).body("region", equalTo("us-east"));
    }

    @Test
    void rejects_csv_without_serial_and_model_columns() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");

        Api.importCsv("serial,region\n" + serial + ",eu-west\n")
                .statusCode(422)
                .body("created", equalTo(0))
                .body("errors.code", contains("MALFORMED_HEADER"))
                .body("errors[0].line", equalTo(1));
        Api.importCsv(serial + "," + model + "\n").statusCode(422).body("errors.code", contains("MALFORMED_HEADER"));

        assertThat(existing(serial)).isEmpty();
    }

    @Test
    void rejects_csv_row_with_more_fields_than_the_header() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");

        Api.importCsv("serial,model\n" + serial + "," + model + ",eu-west")
                .statusCode(422)
                .body("errors.code", contains("MALFORMED_ROW"));
    }

    @Test
    void imports_ndjson_and_reports_bad_lines() {
        String model = Api.createModel(Api.unique("tv"));
        String tagged = Api.unique("SN");
        String plain = Api.unique("SN");
        String unknownModel = Api.unique("SN");
        String extraField = Api.unique("SN");

        importNdjson(String.join(
                        "\n",
                        "{\"serial\":\"" + tagged + "\",\"model\":\"" + model
                                + "\",\"region\":\"eu-west\",\"tags\":[\"beta\",\"lab\"]}",
                        "{\"serial\":\"" + plain + "\",\"model\":\"" + model + "\"}",
                        "{not json",
                        "{\"serial\":\"" + unknownModel + "\",\"model\":\"no-such-model\"}",
                        "{\"serial\":\"" + extraField + "\",\"model\":\"" + model + "\",\"colour\":\"red\"}",
                        "{\"serial\":\"bad serial\",\"model\":\"" + model + "\"}"))
                .statusCode(200)
                .body("rows", equalTo(6))
                .body("created", equalTo(2))
                .body("rejected", equalTo(4))
                .body("errors.line", contains(3, 4, 5, 6))
                .body("errors.code", contains("MALFORMED_ROW", "UNKNOWN_MODEL", "MALFORMED_ROW", "INVALID_SERIAL"));

        assertThat(existing(tagged, plain, unknownModel, extraField)).containsExactlyInAnyOrder(tagged, plain);
        device(tagged).body("tags", contains("beta", "lab")).body("region", equalTo("eu-west"));
    }

    @Test
    void rolls_back_atomic_import_with_one_bad_row() {
        String model = Api.createModel(Api.unique("tv"));
        String first = Api.unique("SN");
        String second = Api.unique("SN");

        given().contentType("text/csv")
                .queryParam("atomic", true)
                .body("serial,model\n" + first + "," + model + "\nbad serial," + model + "\n" + second + "," + model)
                .post(IMPORT)
                .then()
                .statusCode(422)
                .body("rows", equalTo(3))
                .body("created", equalTo(0))
                .body("rejected", equalTo(1))
                .body("rolledBack", equalTo(true))
                .body("errors.code", contains("INVALID_SERIAL"));

        assertThat(existing(first, second)).isEmpty();
    }

    @Test
    void commits_atomic_import_without_errors() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");

        given().contentType("text/csv")
                .queryParam("atomic", true)
                .body("serial,model\n" + serial + "," + model)
                .post(IMPORT)
                .then()
                .statusCode(200)
                .body("created", equalTo(1))
                .body("rolledBack", equalTo(false));

        assertThat(existing(serial)).containsExactly(serial);
    }

    @Test
    void refuses_unsupported_content_type() {
        given().contentType("application/json")
                .body("[]")
                .post(IMPORT)
                .then()
                .statusCode(415)
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void imports_100000_rows_in_one_streamed_request() {
        String model = Api.createModel(Api.unique("tv"));
        String prefix = Api.unique("BULK");
        int rows = 100_000;

        given().contentType("text/csv")
                .body(csvStream(model, prefix, rows))
                .post(IMPORT)
                .then()
                .statusCode(200)
                .body("rows", equalTo(rows))
                .body("created", equalTo(rows))
                .body("rejected", equalTo(0));

        given().queryParam("model", model)
                .get("/api/v1/devices/count")
                .then()
                .statusCode(200)
                .body("count", equalTo(rows));
    }

    @Test
    void keeps_imported_devices_invisible_to_other_tenants() {
        String model = Api.createModel(Api.unique("tv"));
        String serial = Api.unique("SN");
        Api.preregister(model, serial);

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            assertThat(existing(serial)).isEmpty();
            given().queryParam("model", model)
                    .get("/api/v1/devices/count")
                    .then()
                    .body("count", equalTo(0));
            // Serials are unique per tenant, and the model name is unknown to this tenant.
            Api.importCsv("serial,model\n" + serial + "," + model)
                    .statusCode(422)
                    .body("errors.code", contains("UNKNOWN_MODEL"));
            String ownModel = Api.createModel(Api.unique("tv"));
            Api.importCsv("serial,model\n" + serial + "," + ownModel)
                    .statusCode(200)
                    .body("created", equalTo(1));
        });

        device(serial).body("model", equalTo(model));
    }

    private static ValidatableResponse importNdjson(String body) {
        return given().contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post(IMPORT)
                .then();
    }

    /** The given serials that the caller's tenant has registered. */
    private static List<String> existing(String... serials) {
        return given().queryParam("serial", List.of(serials))
                .get("/api/v1/devices")
                .then()
                .statusCode(200)
                .extract()
                .path("items.serial");
    }

    private static ValidatableResponse device(String serial) {
        return Api.device(Api.deviceIdOf(serial)).statusCode(200);
    }

    /** A CSV body generated line by line while it is sent, never held in memory as a whole. */
    private static InputStream csvStream(String model, String serialPrefix, int rows) {
        Iterator<InputStream> lines = Stream.concat(
                        Stream.of("serial,model,region,tags\n"),
                        IntStream.range(0, rows)
                                .mapToObj(i -> serialPrefix + "-" + i + "," + model + ",eu-west,bulk\n"))
                .map(line -> (InputStream) new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)))
                .iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return lines.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return lines.next();
            }
        });
    }
}
