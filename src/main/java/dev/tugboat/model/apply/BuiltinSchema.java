package dev.tugboat.model.apply;

import dev.tugboat.model.patch.MergeKeys;
import java.util.List;

/**
 * The list types of the built-in kinds, from the same merge keys strategic merge patch uses
 * ({@link MergeKeys}): a list with a merge key (containers by name, ...) is a map list on that key,
 * {@code metadata.finalizers} a set, every other list atomic, as Kubernetes' types declare them.
 */
public final class BuiltinSchema implements FieldSchema {
  public static final BuiltinSchema INSTANCE = new BuiltinSchema();

  private BuiltinSchema() {}

  @Override
  public ListType listType(List<String> fieldPath) {
    if (MergeKeys.isPrimitiveMerge(fieldPath)) return ListType.SET;
    return MergeKeys.forPath(fieldPath).map(key -> ListType.map(List.of(key))).orElse(ListType.ATOMIC);
  }
}
