package dev.tugboat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A report's PNG chart (XChart): its curves when it has some (e.g. pods bound over time), otherwise
 * each series' samples by repetition, so both sides of a comparison show on one plot, drifts included.
 */
public final class Chart {
  private Chart() {}

  public static void writePng(Report report, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(540)
        .title(report.benchmark() + ": " + report.title())
        .xAxisTitle(report.chartXLabel()).yAxisTitle(report.chartYLabel()).build();
    chart.getStyler().setMarkerSize(5);
    List<Curve> curves = report.curves().isEmpty() ? bySample(report) : report.curves();
    for (Curve c : curves) {
      if (c.x().isEmpty()) continue;
      chart.addSeries(c.name(), c.x(), c.y()).setMarker(SeriesMarkers.CIRCLE);
    }
    if (chart.getSeriesMap().isEmpty()) chart.addSeries("no data", List.of(0.0), List.of(0.0));
    String name = file.getFileName().toString();
    Path withoutSuffix = file.resolveSibling(name.endsWith(".png") ? name.substring(0, name.length() - 4) : name);
    BitmapEncoder.saveBitmap(chart, withoutSuffix.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static List<Curve> bySample(Report report) {
    List<Curve> curves = new ArrayList<>();
    for (Series s : report.series()) {
      List<Double> x = new ArrayList<>();
      for (int i = 1; i <= s.samples().size(); i++) x.add((double) i);
      curves.add(new Curve(s.name(), x, s.samples()));
    }
    return curves;
  }
}
