package dev.tugboat.cel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Kubernetes' CEL libraries that CEL for Java lacks and policies use most: from the
 * lists library {@code isSorted()} and {@code sum()}, from the regex library {@code find()} and
 * {@code findAll()} (RE2 syntax, linear time, as cel-go's). Quantities and URLs have libraries of their
 * own ({@link QuantityLibrary}, {@link UrlLibrary}); IP and CIDR are not here.
 */
final class KubernetesLibrary implements CelCompilerLibrary, CelRuntimeLibrary {
  static final KubernetesLibrary INSTANCE = new KubernetesLibrary();

  private KubernetesLibrary() {}

  @Override
  public void setCheckerOptions(CelCheckerBuilder checker) {
    checker.addFunctionDeclarations(
        CelFunctionDecl.newFunctionDeclaration("isSorted",
            CelOverloadDecl.newMemberOverload("list_is_sorted", SimpleType.BOOL, ListType.create(SimpleType.DYN))),
        CelFunctionDecl.newFunctionDeclaration("sum",
            CelOverloadDecl.newMemberOverload("list_sum", SimpleType.DYN, ListType.create(SimpleType.DYN))),
        CelFunctionDecl.newFunctionDeclaration("find",
            CelOverloadDecl.newMemberOverload("string_find", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING)),
        CelFunctionDecl.newFunctionDeclaration("findAll",
            CelOverloadDecl.newMemberOverload("string_find_all", ListType.create(SimpleType.STRING), SimpleType.STRING,
                SimpleType.STRING)));
  }

  @Override
  public void setRuntimeOptions(CelRuntimeBuilder runtime) {
    runtime.addFunctionBindings(
        CelFunctionBinding.from("list_is_sorted", List.class, KubernetesLibrary::isSorted),
        CelFunctionBinding.from("list_sum", List.class, KubernetesLibrary::sum),
        CelFunctionBinding.from("string_find", String.class, String.class,
            (s, re) -> {
              Matcher m = Pattern.compile(re).matcher(s);
              return m.find() ? m.group() : "";
            }),
        CelFunctionBinding.from("string_find_all", String.class, String.class,
            (s, re) -> {
              Matcher m = Pattern.compile(re).matcher(s);
              List<String> all = new ArrayList<>();
              while (m.find()) all.add(m.group());
              return all;
            }));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object isSorted(List<?> list) {
    for (int i = 1; i < list.size(); i++) {
      if (!(list.get(i - 1) instanceof Comparable a) || !(list.get(i) instanceof Comparable b)) {
        throw new IllegalArgumentException("isSorted() needs a list of comparable values (ints, doubles, strings)");
      }
      if (compare(a, b) > 0) return false;
    }
    return true;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
    if (a.getClass() != b.getClass()) throw new IllegalArgumentException("isSorted() needs values of one type");
    return a.compareTo(b);
  }

  private static Object sum(List<?> list) {
    long ints = 0;
    double doubles = 0;
    boolean anyDouble = false;
    for (Object o : list) {
      if (o instanceof Long l) ints = Math.addExact(ints, l);
      else if (o instanceof Double d) {
        doubles += d;
        anyDouble = true;
      } else {
        throw new IllegalArgumentException("sum() needs a list of numbers, found " + Cel.typeName(o));
      }
    }
    return anyDouble ? (Object) (doubles + ints) : (Object) ints;
  }
}
