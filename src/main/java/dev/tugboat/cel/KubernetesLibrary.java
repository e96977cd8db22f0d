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
 * lists library {@code isSorted()}, {@code sum()}, {@code min()}, {@code max()}, {@code indexOf()}
 * and {@code lastIndexOf()}, from the regex library {@code find()} and
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
        CelFunctionDecl.newFunctionDeclaration("min",
            CelOverloadDecl.newMemberOverload("list_min", SimpleType.DYN, ListType.create(SimpleType.DYN))),
        CelFunctionDecl.newFunctionDeclaration("max",
            CelOverloadDecl.newMemberOverload("list_max", SimpleType.DYN, ListType.create(SimpleType.DYN))),
        CelFunctionDecl.newFunctionDeclaration("indexOf",
            CelOverloadDecl.newMemberOverload("list_index_of", SimpleType.INT, ListType.create(SimpleType.DYN), SimpleType.DYN)),
        CelFunctionDecl.newFunctionDeclaration("lastIndexOf",
            CelOverloadDecl.newMemberOverload("list_last_index_of", SimpleType.INT, ListType.create(SimpleType.DYN),
                SimpleType.DYN)),
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
        CelFunctionBinding.from("list_min", List.class, list -> extreme(list, "min", -1)),
        CelFunctionBinding.from("list_max", List.class, list -> extreme(list, "max", 1)),
        CelFunctionBinding.from("list_index_of", List.class, Object.class, (list, x) -> (long) indexOf(list, x)),
        CelFunctionBinding.from("list_last_index_of", List.class, Object.class, (list, x) -> (long) lastIndexOf(list, x)),
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

  /** The least ({@code sign} -1) or greatest (1) element; an empty list is an error, as Kubernetes'. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object extreme(List<?> list, String name, int sign) {
    if (list.isEmpty()) throw new IllegalArgumentException(name + "() called on an empty list");
    Object best = list.get(0);
    for (Object o : list.subList(1, list.size())) {
      if (!(best instanceof Comparable a) || !(o instanceof Comparable b)) {
        throw new IllegalArgumentException(name + "() needs a list of comparable values (ints, doubles, strings)");
      }
      if (Integer.signum(compare(b, a)) == sign) best = o;
    }
    return best;
  }

  /** The first index of {@code x} ({@code -1} when absent); numbers equal by value, as CEL's {@code ==}. */
  private static int indexOf(List<?> list, Object x) {
    for (int i = 0; i < list.size(); i++) if (same(list.get(i), x)) return i;
    return -1;
  }

  private static int lastIndexOf(List<?> list, Object x) {
    for (int i = list.size() - 1; i >= 0; i--) if (same(list.get(i), x)) return i;
    return -1;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    return java.util.Objects.equals(a, b);
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
