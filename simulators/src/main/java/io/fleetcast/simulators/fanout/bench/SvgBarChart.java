package io.fleetcast.simulators.fanout.bench;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A grouped bar chart as plain SVG: one group per category (scenario), one bar per series
 * (broker). Missing values leave a gap labelled "n/a". No scripts, no external fonts: it renders
 * the same on GitHub and in any browser.
 */
final class SvgBarChart {

    static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 360;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 80;

    /** values.get(category).get(series) */
    static String render(
            String title,
            String unit,
            List<String> categories,
            List<String> series,
            List<List<OptionalDouble>> values) {
        double max = values.stream()
                .flatMap(List::stream)
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)
                .max()
                .orElse(1);
        double top = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(text(WIDTH / 2.0, 22, "middle", 14, escape(title)));
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT,
                    y,
                    WIDTH - RIGHT,
                    y));
            svg.append(text(LEFT - 6, y + 4, "end", 11, compact(top * i / 4)));
        }
        svg.append(text(16, TOP + plotH / 2.0, "middle", 11, escape(unit), -90));
        double groupW = (double) plotW / Math.max(1, categories.size());
        double barW = groupW * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++) {
            double groupX = LEFT + c * groupW + groupW * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double x = groupX + s * barW;
                OptionalDouble v = values.get(c).get(s);
                if (v.isPresent()) {
                    double h = plotH * v.getAsDouble() / top;
                    svg.append(String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>%n",
                            x,
                            TOP + plotH - h,
                            barW - 2,
                            h,
                            COLOURS[s % COLOURS.length],
                            escape(series.get(s)),
                            compact(v.getAsDouble())));
                } else {
                    svg.append(text(x + barW / 2, TOP + plotH - 4, "middle", 9, "n/a"));
                }
            }
            svg.append(text(LEFT + c * groupW + groupW / 2, TOP + plotH + 16, "middle", 12, escape(categories.get(c))));
        }
        double legendX = LEFT;
        for (int s = 0; s < series.size(); s++) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    legendX,
                    HEIGHT - 30,
                    COLOURS[s % COLOURS.length]));
            svg.append(text(legendX + 16, HEIGHT - 20, "start", 12, escape(series.get(s))));
            legendX += 24 + 8 * series.get(s).length() + 20;
        }
        return svg.append("</svg>\n").toString();
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** 1234567 → 1.2M, 45000 → 45k. */
    static String compact(double v) {
        if (Math.abs(v) >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
        }
        if (Math.abs(v) >= 1e3) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
        }
        return trim(String.format(Locale.ROOT, "%.1f", v));
    }

    private static String trim(String number) {
        return number.endsWith(".0") ? number.substring(0, number.length() - 2) : number;
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x,
                y,
                anchor,
                size,
                content);
    }

    private static String text(double x, double y, String anchor, int size, String content, int rotate) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" transform=\"rotate(%d %.1f %.1f)\">%s</text>%n",
                x,
                y,
                anchor,
                size,
                rotate,
                x,
                y,
                content);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
