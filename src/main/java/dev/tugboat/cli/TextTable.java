package dev.tugboat.cli;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned as kubectl's tabwriter aligns them: each as wide as its widest cell, three spaces apart. */
final class TextTable {
  private static final int GAP = 3;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable add(List<String> cells) {
    rows.add(cells);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The rows as lines, without trailing spaces. */
  List<String> lines() {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (widths.size() <= i) widths.add(0);
        widths.set(i, Math.max(widths.get(i), row.get(i).length()));
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) lines.add(line(row, widths));
    return lines;
  }

  /** One row with the given widths (for watch rows printed under an earlier header). */
  static String line(List<String> row, List<Integer> widths) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      String cell = row.get(i);
      s.append(cell);
      if (i < row.size() - 1) s.append(" ".repeat(Math.max(0, (i < widths.size() ? widths.get(i) : 0) - cell.length()) + GAP));
    }
    return s.toString().stripTrailing();
  }

  List<Integer> widths() {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (widths.size() <= i) widths.add(0);
        widths.set(i, Math.max(widths.get(i), row.get(i).length()));
      }
    }
    return widths;
  }
}
