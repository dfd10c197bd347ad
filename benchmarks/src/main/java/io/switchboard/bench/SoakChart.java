package io.switchboard.bench;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The soak's series as one PNG: a panel per metric, a line per service (or consumer group), over
 * minutes since the traffic started, with the end of the warm-up marked (the slopes are fitted
 * to what lies right of it). Drawn with XChart on a headless AWT.
 */
final class SoakChart {

    private static final int PANEL_WIDTH = 720;
    private static final int PANEL_HEIGHT = 360;
    private static final int COLUMNS = 2;
    /** More lines than this (consumer groups) get their legend beside the plot, not over it. */
    private static final int CROWDED = 4;

    private SoakChart() {
    }

    static void write(List<SoakSeries> series, double warmUpSeconds, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> panels = new ArrayList<>();
        for (SoakMetric metric : SoakMetric.values()) {
            XYChart panel = panel(metric, warmUpSeconds);
            series.stream().filter(s -> s.metric() == metric && Arrays.stream(s.values()).anyMatch(v -> !Double.isNaN(v)))
                    .forEach(s -> panel.addSeries(s.name(), minutes(s.seconds()), withGaps(s.values())));
            if (panel.getSeriesMap().size() > CROWDED) {
                panel.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
                panel.getStyler().setLegendFont(panel.getStyler().getLegendFont().deriveFont(9f));
            }
            if (!panel.getSeriesMap().isEmpty()) {
                panels.add(panel);
            }
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(panels, (panels.size() + COLUMNS - 1) / COLUMNS, COLUMNS, out,
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static XYChart panel(SoakMetric metric, double warmUpSeconds) {
        XYChart panel = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(metric.label())
                .xAxisTitle("minutes since the traffic started").yAxisTitle(metric.unit()).build();
        panel.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        panel.getStyler().setMarkerSize(4);
        panel.getStyler().setXAxisDecimalPattern("#0.##");
        panel.getStyler().setYAxisMin(0.0);   // from zero, so a wiggle looks as small as it is
        panel.getStyler().setChartBackgroundColor(Color.WHITE);
        panel.addAnnotation(new AnnotationLine(warmUpSeconds / 60, true, false));
        return panel;
    }

    private static List<Double> minutes(double[] seconds) {
        return Arrays.stream(seconds).mapToObj(s -> s / 60).toList();
    }

    /** NaN (not read) as a gap in the line. */
    private static List<Double> withGaps(double[] values) {
        return Arrays.stream(values).mapToObj(v -> Double.isNaN(v) ? null : v).toList();
    }
}
