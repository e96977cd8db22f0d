package dev.tugboat.kind;

/**
 * One column of a server-side Table ({@code meta.k8s.io/v1 TableColumnDefinition}). Priority 0
 * columns are always shown; priority 1 only with {@code -o wide}.
 */
public record Column(String name, String type, String format, int priority, String description) {

  /** A column shown by default. */
  public static Column of(String name, String description) {
    return new Column(name, "string", "", 0, description);
  }

  /** A column shown only with {@code -o wide}. */
  public static Column wide(String name, String description) {
    return new Column(name, "string", "", 1, description);
  }

  /** The object's name: kubectl recognises it by its format. */
  public static Column nameColumn() {
    return new Column("Name", "string", "name", 0, "Name must be unique within a namespace.");
  }

  public static Column age() {
    return new Column("Age", "string", "", 0, "The time since the object was created.");
  }

  public Column withType(String type) {
    return new Column(name, type, format, priority, description);
  }
}
