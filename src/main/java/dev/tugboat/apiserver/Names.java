package dev.tugboat.apiserver;

import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import dev.tugboat.model.Validation;
import java.util.List;
import java.util.Optional;

/** An object's name is checked before the request is routed: it becomes the entity's id. */
final class Names {
  private Names() {}

  static Optional<Status> check(ResourceType type, String name) {
    List<FieldError> errors = Validation.validateName(type.kind(), name);
    if (errors.isEmpty()) return Optional.empty();
    return Optional.of(Status.invalid(type.group(), type.kind(), name, errors));
  }
}
