package dev.tugboat.kinds;

import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.FieldError;
import java.util.List;

/** Tests' way to a kind's defaults and validation: through its strategy, as the registry goes. */
public final class Strategies {
  private Strategies() {}

  @SuppressWarnings("unchecked")
  public static <T extends ApiObject> TypedStrategy<T> of(T object) {
    return (TypedStrategy<T>) Kinds.strategies().stream().filter(k -> k.kind().equals(object.kind()))
        .findFirst().orElseThrow();
  }

  public static <T extends ApiObject> T defaults(T object) {
    return of(object).defaulted(object);
  }

  public static List<FieldError> validate(ApiObject object) {
    return of(object).validationErrors(object);
  }

  public static <T extends ApiObject> List<FieldError> validateUpdate(T current, T updated) {
    return of(current).updateErrors(current, updated);
  }
}
