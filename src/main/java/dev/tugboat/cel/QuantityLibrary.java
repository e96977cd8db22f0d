package dev.tugboat.cel;

import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import dev.tugboat.model.Quantity;
import java.math.BigDecimal;

/**
 * Kubernetes' CEL quantity library ({@code k8s.io/apiserver/pkg/cel/library/quantity.go}):
 * {@code quantity(string)}, {@code isQuantity(string)}, and on a quantity {@code isInteger()},
 * {@code asInteger()}, {@code asApproximateFloat()}, {@code sign()}, {@code add}/{@code sub} (a
 * quantity or an int), {@code isLessThan}, {@code isGreaterThan} and {@code compareTo}. Quantities
 * compare by amount ({@code quantity("1Gi").isGreaterThan(quantity("1G"))},
 * {@code quantity("1000m") == quantity("1")}). Parsing is {@link Quantity}'s, the API's own.
 */
final class QuantityLibrary implements CelCompilerLibrary, CelRuntimeLibrary {
  static final QuantityLibrary INSTANCE = new QuantityLibrary();
  static final OpaqueType TYPE = OpaqueType.create("kubernetes.Quantity");

  private QuantityLibrary() {}

  /** A quantity as CEL holds it: its amount, equal to another of the same amount whatever the text. */
  record Value(BigDecimal amount) {
    Value {
      amount = amount.stripTrailingZeros();
    }

    static Value parse(String text) {
      return new Value(Quantity.parse(text).value());
    }

    @Override
    public String toString() {
      return amount.toPlainString();
    }
  }

  @Override
  public void setCheckerOptions(CelCheckerBuilder checker) {
    checker.addFunctionDeclarations(
        CelFunctionDecl.newFunctionDeclaration("quantity",
            CelOverloadDecl.newGlobalOverload("string_to_quantity", TYPE, SimpleType.STRING)),
        CelFunctionDecl.newFunctionDeclaration("isQuantity",
            CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
        member("isInteger", "quantity_is_integer", SimpleType.BOOL),
        member("asInteger", "quantity_get_integer", SimpleType.INT),
        member("asApproximateFloat", "quantity_get_float", SimpleType.DOUBLE),
        member("sign", "quantity_get_sign", SimpleType.INT),
        CelFunctionDecl.newFunctionDeclaration("add",
            CelOverloadDecl.newMemberOverload("quantity_add", TYPE, TYPE, TYPE),
            CelOverloadDecl.newMemberOverload("quantity_add_int", TYPE, TYPE, SimpleType.INT)),
        CelFunctionDecl.newFunctionDeclaration("sub",
            CelOverloadDecl.newMemberOverload("quantity_sub", TYPE, TYPE, TYPE),
            CelOverloadDecl.newMemberOverload("quantity_sub_int", TYPE, TYPE, SimpleType.INT)),
        CelFunctionDecl.newFunctionDeclaration("isLessThan",
            CelOverloadDecl.newMemberOverload("quantity_less", SimpleType.BOOL, TYPE, TYPE)),
        CelFunctionDecl.newFunctionDeclaration("isGreaterThan",
            CelOverloadDecl.newMemberOverload("quantity_greater", SimpleType.BOOL, TYPE, TYPE)),
        CelFunctionDecl.newFunctionDeclaration("compareTo",
            CelOverloadDecl.newMemberOverload("quantity_compare_to", SimpleType.INT, TYPE, TYPE)));
  }

  private static CelFunctionDecl member(String name, String id, CelType result) {
    return CelFunctionDecl.newFunctionDeclaration(name, CelOverloadDecl.newMemberOverload(id, result, TYPE));
  }

  @Override
  public void setRuntimeOptions(CelRuntimeBuilder runtime) {
    runtime.addFunctionBindings(
        CelFunctionBinding.from("string_to_quantity", String.class, Value::parse),
        CelFunctionBinding.from("is_quantity_string", String.class, QuantityLibrary::isQuantity),
        CelFunctionBinding.from("quantity_is_integer", Value.class, q -> isInteger(q.amount())),
        CelFunctionBinding.from("quantity_get_integer", Value.class, QuantityLibrary::asInteger),
        CelFunctionBinding.from("quantity_get_float", Value.class, q -> q.amount().doubleValue()),
        CelFunctionBinding.from("quantity_get_sign", Value.class, q -> (long) q.amount().signum()),
        CelFunctionBinding.from("quantity_add", Value.class, Value.class, (a, b) -> new Value(a.amount().add(b.amount()))),
        CelFunctionBinding.from("quantity_add_int", Value.class, Long.class,
            (a, b) -> new Value(a.amount().add(BigDecimal.valueOf(b)))),
        CelFunctionBinding.from("quantity_sub", Value.class, Value.class,
            (a, b) -> new Value(a.amount().subtract(b.amount()))),
        CelFunctionBinding.from("quantity_sub_int", Value.class, Long.class,
            (a, b) -> new Value(a.amount().subtract(BigDecimal.valueOf(b)))),
        CelFunctionBinding.from("quantity_less", Value.class, Value.class, (a, b) -> a.amount().compareTo(b.amount()) < 0),
        CelFunctionBinding.from("quantity_greater", Value.class, Value.class, (a, b) -> a.amount().compareTo(b.amount()) > 0),
        CelFunctionBinding.from("quantity_compare_to", Value.class, Value.class,
            (a, b) -> (long) Integer.signum(a.amount().compareTo(b.amount()))));
  }

  private static boolean isQuantity(String text) {
    try {
      Quantity.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the amount is a whole number an int (64 bits) holds, as Kubernetes' {@code isInteger()}. */
  private static boolean isInteger(BigDecimal amount) {
    if (amount.signum() != 0 && amount.scale() > 0) return false;
    return amount.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0 && amount.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0;
  }

  private static Object asInteger(Value q) {
    if (!isInteger(q.amount())) {
      throw new IllegalArgumentException("cannot convert value to integer: " + q + " is not a whole number an int holds");
    }
    return q.amount().longValueExact();
  }
}
