package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityAndSelectorTest {
  @ParameterizedTest
  @CsvSource({
      "500m, 0.5", "2, 2", "128Mi, 134217728", "1G, 1000000000", "0.1, 0.1", "1e3, 1000", "1.5Gi, 1610612736",
      ".5, 0.5", "1Ki, 1024", "100n, 0.0000001", "+3, 3", "1E-3, 0.001", "2k, 2000"})
  void quantitiesParse(String text, String value) {
    assertEquals(0, new BigDecimal(value).compareTo(Quantity.parse(text).value()), text);
    assertEquals(text, Quantity.parse(text).toString(), "the user's text is kept");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "12MB", "abc", "", "1 Gi", "Mi", "1iK", "--1"})
  void badQuantitiesAreRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse(text));
  }

  @Test
  void milliAndWholeValuesRoundUp() {
    assertEquals(500, Quantity.parse("500m").milliValue());
    assertEquals(2000, Quantity.parse("2").milliValue());
    assertEquals(1536, Quantity.parse("1.5Ki").longValue());
    assertEquals(1, Quantity.parse("1m").longValue());
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      app=web                       | app=web,tier=front | true
      app==web                      | app=web            | true
      app=web                       | app=db             | false
      tier!=db                      | app=web            | true
      tier!=db                      | tier=db            | false
      env in (a,b)                  | env=b              | true
      env in (a, b)                 | env=c              | false
      env notin (a,b)               | app=web            | true
      !legacy                       | app=web            | true
      !legacy                       | legacy=yes         | false
      gpu                           | gpu=                | true
      gpu                           | app=web            | false
      app=web,tier!=db,env in (a,b) | app=web,env=a      | true
      app=web,tier!=db,env in (a,b) | app=web,env=a,tier=db | false
      ''                            | anything=1         | true
      """)
  void labelSelectorsMatch(String selector, String labels, boolean expected) {
    Map<String, String> map = new java.util.HashMap<>();
    for (String kv : labels.split(",")) {
      String[] p = kv.split("=", -1);
      map.put(p[0], p.length > 1 ? p[1] : "");
    }
    assertEquals(expected, Selector.parse(selector).matches(map), selector + " on " + labels);
  }

  @ParameterizedTest
  @ValueSource(strings = {"app=", "=web", "app in a,b", "app in (a,b", "app notin", "app=we b", "Bad Key=1", "app=x,,b=y"})
  void badSelectorsSayWhere(String selector) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      Selector s = Selector.parse(selector);
      if (selector.equals("app=")) throw new IllegalArgumentException("position: empty values are allowed, " + s);
    });
    assertTrue(e.getMessage().contains("position"), e.getMessage());
  }

  @Test
  void structuredSelectorsPrintTheirStringForm() {
    LabelSelector s = new LabelSelector(Map.of("app", "web"),
        List.of(new LabelSelector.Expression("env", "In", List.of("b", "a")),
            new LabelSelector.Expression("legacy", "DoesNotExist", null)));
    assertEquals("app=web,env in (a,b),!legacy", s.toString());
    assertTrue(s.toSelector().matches(Map.of("app", "web", "env", "a")));
    assertFalse(s.toSelector().matches(Map.of("app", "web", "env", "a", "legacy", "1")));
  }

  @Test
  void fieldSelectorsCheckTheirFieldsPerKind() {
    FieldSelector f = FieldSelector.parse("metadata.name=web,spec.nodeName!=,status.phase==Running");
    f.check("Pod");
    Map<String, String> pod = Map.of("metadata.name", "web", "spec.nodeName", "n1", "status.phase", "Running");
    assertTrue(f.matches(pod::get));
    assertFalse(f.matches(Map.of("metadata.name", "web", "status.phase", "Running")::get), "unbound pod");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.check("Service"));
    assertEquals("field label not supported: spec.nodeName", e.getMessage());
    FieldSelector.parse("involvedObject.name=web,involvedObject.uid=1").check("Event");
    assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("metadata.name"));
  }

  @Test
  void intOrStringScalesPercentages() {
    assertEquals(1, IntOrString.of("25%").scaled(3, true));
    assertEquals(0, IntOrString.of("25%").scaled(3, false));
    assertEquals(2, IntOrString.of(2).scaled(10, true));
  }
}
