package dev.tugboat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A report as the plain-text table {@code tug bench} prints: series, figures, goals, notes. */
public final class ReportTable {
  private ReportTable() {}

  public static String render(Report report) {
    StringBuilder out = new StringBuilder();
    out.append(report.benchmark()).append(": ").append(report.title()).append('\n');
    if (!report.command().isEmpty()) out.append("command: ").append(report.command()).append('\n');
    if (!report.environment().isEmpty()) out.append("environment: ").append(report.environment()).append('\n');
    if (!report.series().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("series", "unit", "n", "p50", "p90", "p99", "min", "max", "mean"));
      for (Series s : report.series()) {
        Summary m = s.summary();
        rows.add(List.of(s.name(), s.unit(), Integer.toString(m.n()), number(m.p50()), number(m.p90()),
            number(m.p99()), number(m.min()), number(m.max()), number(m.mean())));
      }
      out.append('\n').append(align(rows));
    }
    if (!report.figures().isEmpty()) {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("figure", "value", "unit"));
      for (Figure f : report.figures()) rows.add(List.of(f.name(), number(f.value()), f.unit()));
      out.append('\n').append(align(rows));
    }
    if (!report.goals().isEmpty()) {
      out.append('\n');
      for (Goal g : report.goals()) {
        out.append(g.met() ? "goal met:     " : "goal NOT met: ").append(g.description()).append(" (measured ")
            .append(number(g.measured())).append(g.unit().isEmpty() ? "" : " " + g.unit()).append(")\n");
      }
    }
    if (!report.notes().isEmpty()) {
      out.append('\n');
      for (String note : report.notes()) out.append("note: ").append(note).append('\n');
    }
    return out.toString();
  }

  /** Three significant figures, at most three decimals; "-" for a missing value. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
    double abs = Math.abs(v);
    if (abs >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (abs >= 10) return String.format(Locale.ROOT, "%.1f", v);
    if (abs >= 1) return String.format(Locale.ROOT, "%.2f", v);
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Columns padded to their widest cell; columns of numbers right-aligned, others left-aligned. */
  static String align(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    boolean[] numeric = new boolean[columns];
    java.util.Arrays.fill(numeric, true);
    for (List<String> row : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], row.get(i).length());
    for (List<String> row : rows.subList(1, rows.size())) {
      for (int i = 0; i < columns; i++) numeric[i] &= row.get(i).matches("-|-?[0-9.]+");
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        String pad = " ".repeat(width[i] - cell.length());
        line.append(numeric[i] && i > 0 ? pad + cell : cell + pad);
        if (i < columns - 1) line.append("  ");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
