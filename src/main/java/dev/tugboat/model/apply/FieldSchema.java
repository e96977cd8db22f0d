package dev.tugboat.model.apply;

import java.util.List;

/**
 * What server-side apply needs to know of a kind's schema: how each list merges. A list is named
 * by the field names leading to it from the object's root, list items left out
 * ({@code [spec, template, spec, containers]}), as the strategic merge keys are.
 */
@FunctionalInterface
public interface FieldSchema {
  ListType listType(List<String> fieldPath);

  /** Every list atomic: what Kubernetes assumes of a list its schema says nothing of. */
  FieldSchema ATOMIC = path -> ListType.ATOMIC;
}
