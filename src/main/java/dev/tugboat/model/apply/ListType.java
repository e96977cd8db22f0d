package dev.tugboat.model.apply;

import java.util.List;

/**
 * How a list merges when several managers write it (Kubernetes' {@code x-kubernetes-list-type}):
 * replaced whole ({@code atomic}), merged as a set of scalars ({@code set}), or merged item by item
 * by the values of its keys ({@code map}, {@code x-kubernetes-list-map-keys}).
 */
public record ListType(Kind kind, List<String> keys) {
  /** The three list types of Kubernetes' schemas. */
  public enum Kind { ATOMIC, SET, MAP }

  public static final ListType ATOMIC = new ListType(Kind.ATOMIC, List.of());
  public static final ListType SET = new ListType(Kind.SET, List.of());

  public ListType {
    keys = List.copyOf(keys);
    if (kind == Kind.MAP && keys.isEmpty()) throw new IllegalArgumentException("a map list needs keys");
  }

  public static ListType map(List<String> keys) {
    return new ListType(Kind.MAP, keys);
  }
}
