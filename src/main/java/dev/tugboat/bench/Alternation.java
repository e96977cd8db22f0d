package dev.tugboat.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which contenders take turns: every round runs each contender once, and every other
 * round reverses the order (A B, B A, A B, ...). So neither side always runs first, right after the
 * other's clean-up, and slow drifts of the shared machine's load fall on both sides alike.
 */
public final class Alternation {
  /** One turn: the round it belongs to (from 0) and the contender that runs. */
  public record Turn(int round, String contender) {}

  private Alternation() {}

  public static List<Turn> schedule(List<String> contenders, int rounds) {
    if (contenders.isEmpty()) throw new IllegalArgumentException("no contenders");
    if (rounds < 0) throw new IllegalArgumentException("rounds < 0");
    List<Turn> turns = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < contenders.size(); i++) {
        int index = round % 2 == 0 ? i : contenders.size() - 1 - i;
        turns.add(new Turn(round, contenders.get(index)));
      }
    }
    return turns;
  }
}
