package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A slice of an index that a list or watch can be scoped to, as the indexers of Kubernetes'
 * informers: objects are kept by these fields as well as by key, so a node agent or a controller
 * reads its few objects without scanning every object of the kind.
 *
 * @param by the field
 * @param value its value: a node name, or a controller's uid ("" for objects without a controller)
 */
public record Indexed(By by, String value) {

  /** The fields the index keeps objects by. */
  public enum By {
    /** The node a pod is bound to ({@code spec.nodeName}); unbound pods are in no slice. */
    NODE {
      @Override
      String valueOf(ObjectNode o) {
        String node = o.path("spec").path("nodeName").asText("");
        return node.isEmpty() ? null : node;
      }
    },
    /** The uid of the object's controller ({@code ownerReferences} with {@code controller: true}); "" for orphans. */
    CONTROLLER {
      @Override
      String valueOf(ObjectNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
          if (ref.path("controller").asBoolean(false)) return ref.path("uid").asText("");
        }
        return "";
      }
    };

    /** This field's value in {@code o}; null: {@code o} is in no slice of this index. */
    abstract String valueOf(ObjectNode o);
  }

  /** The pods bound to {@code node}. */
  public static Indexed node(String node) {
    return new Indexed(By.NODE, node);
  }

  /** The objects whose controller has {@code uid}. */
  public static Indexed controlledBy(String uid) {
    return new Indexed(By.CONTROLLER, uid);
  }

  /** The objects without a controller (candidates for adoption). */
  public static Indexed orphans() {
    return new Indexed(By.CONTROLLER, "");
  }

  /** Whether {@code o} is in this slice. */
  public boolean contains(ObjectNode o) {
    return value.equals(by.valueOf(o));
  }
}
