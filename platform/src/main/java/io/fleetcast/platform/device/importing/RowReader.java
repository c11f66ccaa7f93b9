package io.fleetcast.platform.device.importing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads import rows one line at a time, so a body of any size needs only one line of memory. A line
 * that cannot be read becomes a {@link Result} with an error instead of stopping the import.
 */
abstract class RowReader {

    static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** A parsed row or the reason the line could not be parsed. */
    record Result(long line, ImportRow row, RowError error) {}

    protected final BufferedReader reader;
    protected long line;

    RowReader(BufferedReader reader) {
        this.reader = reader;
    }

    static RowReader of(ImportFormat format, BufferedReader reader) {
        return format == ImportFormat.CSV_FORMAT ? new Csv(reader) : new Ndjson(reader);
    }

    /** The next non-blank line, or {@code null} at the end. */
    abstract Result next() throws IOException;

    protected String nextLine() throws IOException {
        String text;
        do {
            text = reader.readLine();
            line++;
        } while (text != null && text.isBlank());
        return text;
    }

    protected Result malformed(String message) {
        return new Result(line, null, new RowError(line, null, "MALFORMED_ROW", message));
    }

    /** Comma-separated values with a header line naming the columns (serial and model required). */
    static final class Csv extends RowReader {

        private Map<String, Integer> columns;
        private boolean done;

        Csv(BufferedReader reader) {
            super(reader);
        }

        @Override
        Result next() throws IOException {
            if (done) {
                return null;
            }
            if (columns == null) {
                Result headerProblem = readHeader();
                if (headerProblem != null || columns == null) {
                    done = true;
                    return headerProblem;
                }
            }
            String text = nextLine();
            if (text == null) {
                return null;
            }
            List<String> fields = split(text);
            if (fields == null) {
                return malformed("unbalanced quotes");
            }
            if (fields.size() > columns.size()) {
                return malformed("more fields than header columns");
            }
            String tags = field(fields, "tags");
            return new Result(
                    line,
                    new ImportRow(
                            field(fields, "serial"),
                            field(fields, "model"),
                            field(fields, "region"),
                            tags == null ? List.of() : Arrays.asList(tags.split(";", -1))),
                    null);
        }

        /** Reads the column names; an error result when they are unusable, null otherwise. */
        private Result readHeader() throws IOException {
            String text = nextLine();
            if (text == null) {
                return null; // an empty body imports nothing
            }
            List<String> names = split(text);
            if (names == null) {
                return malformed("the header line has unbalanced quotes");
            }
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i).trim().toLowerCase(), i);
            }
            if (!byName.containsKey("serial") || !byName.containsKey("model")) {
                return new Result(
                        line,
                        null,
                        new RowError(
                                line,
                                null,
                                "MALFORMED_HEADER",
                                "the first line must name the columns: serial,model and optionally region,tags"));
            }
            columns = byName;
            return null;
        }

        private String field(List<String> fields, String name) {
            Integer index = columns.get(name);
            if (index == null || index >= fields.size()) {
                return null;
            }
            String value = fields.get(index).trim();
            return value.isEmpty() ? null : value;
        }

        /** Splits one line; supports double-quoted fields with {@code ""} escapes. Null when unbalanced. */
        static List<String> split(String text) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            if (quoted) {
                return null;
            }
            fields.add(field.toString());
            return fields;
        }
    }

    /** One JSON object per line. */
    static final class Ndjson extends RowReader {

        Ndjson(BufferedReader reader) {
            super(reader);
        }

        @Override
        Result next() throws IOException {
            String text = nextLine();
            if (text == null) {
                return null;
            }
            try {
                ImportRow row = JSON.readValue(text, ImportRow.class);
                return row == null ? malformed("empty line") : new Result(line, row, null);
            } catch (IOException e) {
                return malformed("not a JSON object with serial, model, region, tags");
            }
        }
    }
}
