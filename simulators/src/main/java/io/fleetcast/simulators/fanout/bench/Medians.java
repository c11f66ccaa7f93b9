package io.fleetcast.simulators.fanout.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Result rows grouped by scenario, metric and broker, each with its median over the runs. */
final class Medians {

    /** The runs' values of one metric of one broker in one scenario, and their median. */
    record Cell(List<Double> values) {
        OptionalDouble median() {
            List<Double> sorted =
                    values.stream().filter(v -> !v.isNaN()).sorted().toList();
            if (sorted.isEmpty()) {
                return OptionalDouble.empty();
            }
            int n = sorted.size();
            return OptionalDouble.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
        }
    }

    /** scenario → metric → broker → cell, in the order first seen (brokers) and enum order (metrics). */
    private final Map<String, Map<Metric, Map<String, Cell>>> cells = new TreeMap<>(Medians::compareScenarios);
    /** broker → scenario → failure reasons */
    private final Map<String, Map<String, List<String>>> failures = new LinkedHashMap<>();

    private final List<String> brokers = new ArrayList<>();

    Medians(Collection<ResultRow> rows) {
        for (ResultRow row : rows) {
            if (!brokers.contains(row.broker())) {
                brokers.add(row.broker());
            }
            if (row.isFailure()) {
                failures.computeIfAbsent(row.broker(), b -> new TreeMap<>(Medians::compareScenarios))
                        .computeIfAbsent(row.scenario(), s -> new ArrayList<>())
                        .add("run " + row.run() + ": " + row.note());
                continue;
            }
            cells.computeIfAbsent(row.scenario(), s -> new TreeMap<>())
                    .computeIfAbsent(row.metric(), m -> new LinkedHashMap<>())
                    .computeIfAbsent(row.broker(), b -> new Cell(new ArrayList<>()))
                    .values()
                    .add(row.value());
        }
    }

    /** S0, S1-qos0, S1-qos1, S2-..., S10 after S9: by the number, then the rest of the name. */
    static int compareScenarios(String a, String b) {
        int na = number(a);
        int nb = number(b);
        return na != nb ? Integer.compare(na, nb) : a.compareTo(b);
    }

    private static int number(String scenario) {
        String digits = scenario.replaceAll("^S(\\d+).*$", "$1");
        return digits.equals(scenario) ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    List<String> brokers() {
        return brokers;
    }

    Collection<String> scenarios() {
        return cells.keySet();
    }

    Map<Metric, Map<String, Cell>> scenario(String scenario) {
        return cells.getOrDefault(scenario, Map.of());
    }

    Map<String, Map<String, List<String>>> failures() {
        return failures;
    }

    OptionalDouble median(String scenario, Metric metric, String broker) {
        return Optional.ofNullable(scenario(scenario).get(metric))
                .map(byBroker -> byBroker.get(broker))
                .map(Cell::median)
                .orElse(OptionalDouble.empty());
    }

    /** The best median of a metric in a scenario over all brokers (max or min by direction). */
    OptionalDouble best(String scenario, Metric metric) {
        return brokers.stream()
                .map(b -> median(scenario, metric, b))
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)
                // A negative growth (memory returned to the OS during a measurement) is no "best".
                .filter(v -> v > 0)
                .reduce(metric.higherIsBetter() ? Math::max : Math::min);
    }
}
