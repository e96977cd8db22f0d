package dev.tugboat.cel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CelTest {
  private static final Cel CEL = Cel.withVariables("self", "oldSelf");
  private static final JsonNode SELF = Codec.parseTree(("""
      {"replicas": 3, "ratio": 0.5, "name": "web-1", "tags": ["a", "b", "c"], "ports": [80, 443],
       "labels": {"team": "blue"}, "nothing": null, "on": true}""").getBytes(), false);

  private static Object eval(String expression) {
    Cel.Compiled c = CEL.compile(expression);
    Cel.Program p = assertInstanceOf(Cel.Program.class, c, () -> ((Cel.Invalid) c).message());
    Cel.Outcome o = p.eval(Map.of("self", JsonValues.toCel(SELF)));
    return o instanceof Cel.Value v ? v.value() : "failure: " + ((Cel.Failure) o).message();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "self.replicas <= 5                              | true",
      "self.replicas + 1                               | 4",
      "self.ratio * 2.0                                | 1.0",
      "self.replicas > self.ratio                      | true",
      "self.name.startsWith('web')                     | true",
      "self.name.matches('^[a-z]+-[0-9]+$')            | true",
      "self.tags.all(t, t.size() == 1)                 | true",
      "self.tags.exists(t, t == 'z')                   | false",
      "self.tags.exists_one(t, t == 'b')               | true",
      "self.ports.map(p, p * 2)                        | [160, 886]",
      "self.ports.filter(p, p > 100)                   | [443]",
      "has(self.labels.team)                           | true",
      "has(self.missing)                               | false",
      "self.nothing == null                            | true",
      "self.on && !false                               | true",
      "'team' in self.labels                           | true",
      "self.labels.team.upperAscii()                   | BLUE",
      "self.name.split('-')                            | [web, 1]",
      "self.ports.isSorted()                           | true",
      "self.tags.isSorted()                            | true",
      "[3, 1].isSorted()                               | false",
      "self.ports.sum()                                | 523",
      "[1.5, 2].sum()                                  | 3.5",
      "'abc123def45'.findAll('[0-9]+')                 | [123, 45]",
      "'abc123'.find('[0-9]+')                         | 123",
      "self.?missing.orValue('none')                   | none",
  })
  void evaluates(String expression, String expected) {
    assertEquals(expected, String.valueOf(eval(expression)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "self.missing > 1                  | key 'missing' is not present in map",
      "self.name + 1                     | overload",
      "self.replicas / 0                 | / by zero",
  })
  void failsWithAReason(String expression, String reason) {
    String got = String.valueOf(eval(expression));
    assertTrue(got.startsWith("failure: ") && got.contains(reason), got);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "self.replicas >                   | <input>:1:16",
      "unknown.x == 1                    | undeclared reference to 'unknown'",
      "self.x ==== 2                     | <input>:1:10: extraneous input",
  })
  void refusesWhatDoesNotCompileWithThePosition(String expression, String message) {
    Cel.Invalid invalid = assertInstanceOf(Cel.Invalid.class, CEL.compile(expression));
    assertTrue(invalid.message().contains(message), invalid.message());
    assertTrue(invalid.message().startsWith("ERROR: <input>:"), invalid.message());
  }

  @Test
  void aRuleMustBeBoolWhenItsTypeIsKnown() {
    Cel.Invalid invalid = assertInstanceOf(Cel.Invalid.class, CEL.compileBool("1 + 2"));
    assertTrue(invalid.message().contains("must evaluate to bool, not int"), invalid.message());
    assertInstanceOf(Cel.Program.class, CEL.compileBool("self.replicas"));
    Cel.Outcome o = ((Cel.Program) CEL.compileBool("self.replicas")).evalBool(Map.of("self", JsonValues.toCel(SELF)));
    assertEquals("expression evaluated to int, not bool", ((Cel.Failure) o).message());
  }

  @Test
  void compilesEachTextOnce() {
    assertSame(CEL.compile("self.replicas < 10"), CEL.compile("self.replicas < 10"));
  }

  @Test
  void boundsTheCostOfOneEvaluation() {
    // 1000 x 1000 steps: more than the bound, and far more than any rule should take
    Cel.Program p = (Cel.Program) CEL.compile("self.all(a, self.all(b, a + b >= 0))");
    JsonNode big = Codec.parseTree(("[" + "1,".repeat(999) + "1]").getBytes(), false);
    long start = System.nanoTime();
    Cel.Outcome o = p.eval(Map.of("self", JsonValues.toCel(big)));
    assertInstanceOf(Cel.Failure.class, o, o::toString);
    assertTrue(((Cel.Failure) o).message().contains("Iteration budget exceeded: 100000"), o.toString());
    assertTrue(System.nanoTime() - start < 3_000_000_000L, "the bound stops it well before 3 s");
  }

  @Test
  void jsonRoundTrips() {
    assertEquals(SELF.toString(), JsonValues.toJson(JsonValues.toCel(SELF)).toString());
  }
}
