package dev.tugboat.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CEL environment: a set of declared variables (each of type {@code dyn}, as the JSON they hold),
 * the standard macros ({@code has}, {@code all}, {@code exists}, {@code exists_one}, {@code map},
 * {@code filter}), CEL's string, list and optional extensions and {@link KubernetesLibrary}.
 * Expressions are compiled once per text and kept (up to {@link #CACHE_SIZE}); each evaluation is
 * bounded by {@link #MAX_ITERATIONS} comprehension steps, as Kubernetes bounds a rule's cost.
 *
 * <p>Thread-safe: compiled programs are immutable and may be evaluated concurrently.
 */
public final class Cel {
  /**
   * Comprehension steps one evaluation may take (nested ones counted together). Kubernetes bounds an
   * expression's cost at 10^6 units per call, a step of {@code all}/{@code map} over JSON costing a
   * few; measured here a step costs a few microseconds, so 100,000 steps bound one evaluation to
   * well under a second even on a cold JVM, which one admission can afford.
   */
  public static final int MAX_ITERATIONS = 100_000;
  /** Longest expression accepted, in code points: a bound on parsing and on what a cache entry holds. */
  public static final int MAX_EXPRESSION_LENGTH = 10 * 1024;
  /**
   * Compiled programs kept per environment: one per distinct expression text. The bound keeps a
   * stream of changing policies from growing memory; a program evicted is compiled again when used.
   */
  public static final int CACHE_SIZE = 4096;

  private static final CelOptions OPTIONS = CelOptions.current()
      .comprehensionMaxIterations(MAX_ITERATIONS)
      .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH)
      // Kubernetes' CEL compares int with double and uint as numbers ("1 < 1.5" is true)
      .enableHeterogeneousNumericComparisons(true)
      .build();

  private final List<String> variables;
  private final CelCompiler compiler;
  private final CelRuntime runtime;
  private final Map<String, Compiled> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  private Cel(List<String> variables) {
    this.variables = List.copyOf(variables);
    var builder = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.optional(), KubernetesLibrary.INSTANCE,
            QuantityLibrary.INSTANCE, UrlLibrary.INSTANCE);
    for (String v : variables) builder.addVar(v, SimpleType.DYN);
    this.compiler = builder.build();
    this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
        .setOptions(OPTIONS)
        .addLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.optional(), KubernetesLibrary.INSTANCE,
            QuantityLibrary.INSTANCE, UrlLibrary.INSTANCE)
        .build();
  }

  /** An environment declaring {@code variables}, each {@code dyn}. */
  public static Cel withVariables(String... variables) {
    return new Cel(List.of(variables));
  }

  /** The variables this environment declares. */
  public List<String> variables() {
    return variables;
  }

  /** What compiling an expression gave: a program to run, or why there is none. */
  public sealed interface Compiled permits Program, Invalid {
    String expression();
  }

  /**
   * An expression that does not compile. {@code message} is CEL's, with the position, as
   * kube-apiserver prints it: {@code ERROR: <input>:1:6: Syntax error: ...} and the line with a caret.
   */
  public record Invalid(String expression, String message) implements Compiled {}

  /** The outcome of one evaluation: a value, or why there is none (no such key, a bound, a type). */
  public sealed interface Outcome permits Value, Failure {}

  /** A CEL value: Boolean, Long, Double, String, a Map or List of them, or CEL's null. */
  public record Value(Object value) implements Outcome {}

  /** An evaluation that failed, saying why. */
  public record Failure(String message) implements Outcome {}

  /** A compiled expression, evaluated over variables of its environment. */
  public static final class Program implements Compiled {
    private final String expression;
    private final CelRuntime.Program program;
    private final CelType resultType;

    private Program(String expression, CelRuntime.Program program, CelType resultType) {
      this.expression = expression;
      this.program = program;
      this.resultType = resultType;
    }

    @Override
    public String expression() {
      return expression;
    }

    /** The type the checker found, {@code dyn} when it depends on the variables. */
    public String resultType() {
      return resultType.name();
    }

    /**
     * Evaluates over {@code variables} (CEL values, see {@link JsonValues#toCel}); a variable not
     * given is absent, and reading it fails the evaluation.
     */
    public Outcome eval(Map<String, ?> variables) {
      try {
        return new Value(program.eval(variables));
      } catch (CelEvaluationException e) {
        return new Failure(e.getMessage());
      } catch (RuntimeException e) {
        // a library function's own failure (a bad regex, an overflow): the expression's, not ours
        return new Failure(String.valueOf(e.getMessage()));
      }
    }

    /** {@link #eval} that must give a bool: anything else is a failure saying what it gave. */
    public Outcome evalBool(Map<String, ?> variables) {
      Outcome o = eval(variables);
      if (o instanceof Value v && !(v.value() instanceof Boolean)) {
        return new Failure("expression evaluated to " + typeName(v.value()) + ", not bool");
      }
      return o;
    }

    @Override
    public String toString() {
      return "Program[" + expression + "]";
    }
  }

  /** Compiles {@code expression}, or finds it compiled. */
  public Compiled compile(String expression) {
    synchronized (cache) {
      Compiled c = cache.get(expression);
      if (c != null) return c;
    }
    Compiled c = doCompile(expression);
    synchronized (cache) {
      cache.put(expression, c);
    }
    return c;
  }

  /**
   * {@link #compile} of an expression that must give a bool (a rule, a validation, a match
   * condition): one whose type is known to be something else is {@link Invalid}.
   */
  public Compiled compileBool(String expression) {
    Compiled c = compile(expression);
    if (c instanceof Program p && !p.resultType.equals(SimpleType.BOOL) && !p.resultType.equals(SimpleType.DYN)) {
      return new Invalid(expression, "ERROR: <input>:1:1: expression must evaluate to bool, not " + p.resultType());
    }
    return c;
  }

  private Compiled doCompile(String expression) {
    if (expression == null || expression.isBlank()) return new Invalid(String.valueOf(expression), "expression is empty");
    try {
      CelValidationResult result = compiler.compile(expression);
      if (result.hasError()) return new Invalid(expression, result.getErrorString());
      CelAbstractSyntaxTree ast = result.getAst();
      return new Program(expression, runtime.createProgram(ast), ast.getResultType());
    } catch (dev.cel.common.CelValidationException | CelEvaluationException e) {
      return new Invalid(expression, e.getMessage());
    } catch (RuntimeException e) {
      // the parser's own limits (depth, size) surface as exceptions: still the expression's fault
      return new Invalid(expression, "ERROR: <input>:1:1: " + e.getMessage());
    }
  }

  /** CEL's name of a value's type, for messages. */
  public static String typeName(Object v) {
    if (v instanceof Boolean) return "bool";
    if (v instanceof Long || v instanceof Integer) return "int";
    if (v instanceof Double) return "double";
    if (v instanceof String) return "string";
    if (v instanceof Map<?, ?>) return "map";
    if (v instanceof List<?>) return "list";
    if (v == null || v instanceof dev.cel.common.values.NullValue) return "null_type";
    return v.getClass().getSimpleName();
  }
}
