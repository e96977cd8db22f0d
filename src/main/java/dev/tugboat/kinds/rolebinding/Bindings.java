package dev.tugboat.kinds.rolebinding;

import dev.tugboat.kinds.role.Role;
import dev.tugboat.model.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Kubernetes' ValidateRoleBinding and its defaults, shared by RoleBinding and ClusterRoleBinding. */
public final class Bindings {
  private static final List<String> SUBJECT_KINDS = List.of(Subject.SERVICE_ACCOUNT, Subject.USER, Subject.GROUP);

  private Bindings() {}

  /** Subjects' and roleRef's apiGroup where left out (as the v1 defaults and kubectl do). */
  public static List<Subject> defaultSubjects(List<Subject> subjects) {
    if (subjects == null) return null;
    List<Subject> out = new ArrayList<>();
    for (Subject s : subjects) {
      if (s != null && (s.apiGroup() == null || s.apiGroup().isEmpty())
          && (Subject.USER.equals(s.kind()) || Subject.GROUP.equals(s.kind()))) {
        s = new Subject(s.kind(), Role.GROUP, s.name(), s.namespace());
      }
      out.add(s);
    }
    return out;
  }

  public static RoleRef defaultRoleRef(RoleRef ref) {
    if (ref == null || (ref.apiGroup() != null && !ref.apiGroup().isEmpty())) return ref;
    return new RoleRef(Role.GROUP, ref.kind(), ref.name());
  }

  /** The errors of a binding's roleRef (of one of {@code kinds}) and subjects. */
  public static void validate(RoleRef ref, List<String> kinds, List<Subject> subjects, boolean namespaced,
      List<FieldError> errors) {
    if (ref == null) {
      errors.add(FieldError.required("roleRef", null));
    } else {
      if (!Role.GROUP.equals(ref.apiGroup())) {
        errors.add(FieldError.notSupported("roleRef.apiGroup", ref.apiGroup(), List.of(Role.GROUP)));
      }
      if (ref.kind() == null || ref.kind().isEmpty()) {
        errors.add(FieldError.required("roleRef.kind", null));
      } else if (!kinds.contains(ref.kind())) {
        errors.add(FieldError.notSupported("roleRef.kind", ref.kind(), kinds));
      }
      if (ref.name() == null || ref.name().isEmpty()) errors.add(FieldError.required("roleRef.name", null));
    }
    if (subjects == null) return;
    for (int i = 0; i < subjects.size(); i++) {
      String at = "subjects[" + i + "]";
      Subject s = subjects.get(i);
      if (s == null) {
        errors.add(FieldError.required(at, null));
        continue;
      }
      if (s.name() == null || s.name().isEmpty()) errors.add(FieldError.required(at + ".name", null));
      if (!SUBJECT_KINDS.contains(s.kind())) {
        errors.add(FieldError.notSupported(at + ".kind", s.kind(), SUBJECT_KINDS));
        continue;
      }
      if (s.kind().equals(Subject.SERVICE_ACCOUNT)) {
        if (s.apiGroup() != null && !s.apiGroup().isEmpty()) {
          errors.add(FieldError.notSupported(at + ".apiGroup", s.apiGroup(), List.of("")));
        }
        if (!namespaced && (s.namespace() == null || s.namespace().isEmpty())) {
          errors.add(FieldError.required(at + ".namespace", null));
        }
      } else if (!Role.GROUP.equals(s.apiGroup())) {
        errors.add(FieldError.notSupported(at + ".apiGroup", s.apiGroup(), List.of(Role.GROUP)));
      }
    }
  }

  /** A binding's roleRef never changes: to grant another role, delete the binding and create it again. */
  public static void validateUpdate(RoleRef current, RoleRef updated, List<FieldError> errors) {
    if (!Objects.equals(current, updated)) errors.add(FieldError.invalid("roleRef", updated, "cannot change roleRef"));
  }
}
