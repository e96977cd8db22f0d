package dev.tugboat.controller.job;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of completion indexes in Kubernetes' compressed form, as {@code status.completedIndexes}
 * and {@code status.failedIndexes} hold it: {@code "0-2,4,7-9"}.
 */
public final class CompletionIndexes {
  private CompletionIndexes() {}

  /** The indexes the text names; malformed parts are skipped (the text is only ever our own). */
  public static SortedSet<Integer> parse(String text) {
    SortedSet<Integer> set = new TreeSet<>();
    if (text == null || text.isBlank()) return set;
    for (String part : text.split(",")) {
      try {
        int dash = part.indexOf('-');
        int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
        for (int i = from; i <= to; i++) set.add(i);
      } catch (RuntimeException malformed) {
        // skipped
      }
    }
    return set;
  }

  /** The compressed text of {@code indexes}; empty for none. */
  public static String format(SortedSet<Integer> indexes) {
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer last = null;
    for (int i : indexes) {
      if (last != null && i == last + 1) {
        last = i;
        continue;
      }
      if (start != null) parts.add(start.equals(last) ? start.toString() : start + "-" + last);
      start = i;
      last = i;
    }
    if (start != null) parts.add(start.equals(last) ? start.toString() : start + "-" + last);
    return String.join(",", parts);
  }
}
