package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {
  private static Map<String, String> labels(String text) {
    Map<String, String> map = new HashMap<>();
    if (text.isEmpty()) return map;
    for (String kv : text.split(",")) {
      String[] p = kv.split("=", -1);
      map.put(p[0], p.length > 1 ? p[1] : "");
    }
    return map;
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      app=web                       | app=web,tier=front    | true
      app==web                      | app=web               | true
      app = web                     | app=web               | true
      app=web                       | app=db                | false
      app=web                       | ''                    | false
      app=                          | app=                  | true
      app=                          | app=web               | false
      tier!=db                      | app=web               | true
      tier!=db                      | tier=db               | false
      env in (a,b)                  | env=b                 | true
      env in (a, b)                 | env=c                 | false
      env in (a,b)                  | app=web               | false
      env notin (a,b)               | app=web               | true
      env notin (a,b)               | env=a                 | false
      !legacy                       | app=web               | true
      !legacy                       | legacy=yes            | false
      has                           | has=                  | true
      has                           | app=web               | false
      example.com/tier=db           | example.com/tier=db   | true
      app=web,tier!=db,env in (a,b),!legacy,version notin (v1),has | app=web,env=a,has=1,version=v2 | true
      app=web,tier!=db,env in (a,b) | app=web,env=a,tier=db | false
      ''                            | anything=1            | true
      ''                            | ''                    | true
      """)
  void stringSelectorsMatch(String selector, String labels, boolean expected) {
    assertEquals(expected, Selector.parse(selector).matches(labels(labels)), selector + " on " + labels);
  }

  @ParameterizedTest(name = "\"{0}\": {2}")
  @CsvSource(delimiter = '|', textBlock = """
      =web                | 0  | expected a label key
      app in a,b          | 7  | expected '('
      app in (a,b         | 11 | expected ',' or ')' but found the end
      app in ()           | 8  | values set can't be empty
      app notin           | 9  | expected '('
      app=we b            | 7  | expected ','
      Bad Key=1           | 4  | expected one of '=', '==', '!=', 'in', 'notin'
      app=x,,b=y          | 6  | expected a label key
      app=web,            | 8  | expected a label key
      -app=web            | 0  | invalid label key "-app"
      app=-web            | 4  | invalid label value "-web"
      !a=b                | 2  | expected ','
      app in (a) x        | 11 | expected ','
      """)
  void badSelectorsSayWhereAndWhy(String selector, int position, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Selector.parse(selector));
    assertTrue(e.getMessage().contains("at position " + position + " "), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  /** The string form sorts by key and sorts set values, as Kubernetes prints it, and parses back the same. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      tier!=db,app=web            | app=web,tier!=db
      env in (b,a)                | env in (a,b)
      app==web                    | app=web
      !legacy, has ,x notin (z,y) | has,!legacy,x notin (y,z)
      ''                          | ''
      """)
  void printsTheCanonicalStringForm(String text, String printed) {
    Selector s = Selector.parse(text);
    assertEquals(printed, s.toString());
    assertEquals(printed, Selector.parse(printed).toString());
  }

  @Test
  void structuredSelectorsCompileAndPrint() {
    LabelSelector s = new LabelSelector(Map.of("app", "web"),
        List.of(new LabelSelector.Expression("env", "In", List.of("b", "a")),
            new LabelSelector.Expression("legacy", "DoesNotExist", null)));
    assertEquals("app=web,env in (a,b),!legacy", s.toString());
    assertTrue(s.toMatcher().matches(Map.of("app", "web", "env", "a")));
    assertFalse(s.toMatcher().matches(Map.of("app", "web", "env", "a", "legacy", "1")));
    assertThrows(IllegalArgumentException.class,
        () -> new LabelSelector(null, List.of(new LabelSelector.Expression("a", "Like", null))).toSelector());
  }

  /** Kubernetes: an empty selector selects everything, an absent one nothing. */
  @Test
  void emptySelectsEverythingAndAbsentNothing() {
    assertTrue(LabelSelector.matcher(new LabelSelector(null, null)).matches(Map.of("a", "b")));
    assertTrue(LabelSelector.matcher(new LabelSelector(Map.of(), List.of())).matches(Map.of()));
    assertFalse(LabelSelector.matcher(null).matches(Map.of("a", "b")));
    assertFalse(LabelSelector.matcher(null).matches(Map.of()));
    assertTrue(Selector.everything().isEmpty());
    assertFalse(Selector.nothing().isEmpty());
  }
}
