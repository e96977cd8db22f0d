package dev.tugboat.kinds.rolebinding;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * RoleBindings and ClusterRoleBindings as kubectl prints them (its printRoleBinding): NAME, ROLE
 * ({@code Kind/name}), AGE, and with {@code -o wide} USERS, GROUPS, SERVICEACCOUNTS.
 */
public record RoleBindingPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Role", "Role indicates which role the binding grants."),
      Column.age(),
      Column.wide("Users", "Users in the roleBinding"),
      Column.wide("Groups", "Groups in the roleBinding"),
      Column.wide("ServiceAccounts", "ServiceAccounts in the roleBinding"));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode binding, Instant now) {
    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    for (JsonNode s : binding.path("subjects")) {
      switch (s.path("kind").asText()) {
        case Subject.USER -> users.add(s.path("name").asText());
        case Subject.GROUP -> groups.add(s.path("name").asText());
        case Subject.SERVICE_ACCOUNT -> accounts.add(s.path("namespace").asText("") + ":" + s.path("name").asText());
        default -> { }
      }
    }
    JsonNode ref = binding.path("roleRef");
    return List.of(binding.path("metadata").path("name").asText(),
        ref.path("kind").asText() + "/" + ref.path("name").asText(),
        Cells.age(binding.path("metadata").path("creationTimestamp"), now),
        String.join(", ", users), String.join(", ", groups), String.join(", ", accounts));
  }
}
