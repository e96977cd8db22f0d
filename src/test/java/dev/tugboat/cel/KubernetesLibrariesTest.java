package dev.tugboat.cel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' quantity, URL and lists libraries, with the examples of Kubernetes' own documentation. */
class KubernetesLibrariesTest {
  private static final Cel CEL = Cel.withVariables("self");
  private static final JsonNode SELF = Codec.parseTree(
      "{\"memory\": \"512Mi\", \"cpu\": \"250m\", \"endpoint\": \"https://api.example.com:8443/v1?x=1\"}".getBytes(), false);

  private static String eval(String expression) {
    Cel.Compiled c = CEL.compile(expression);
    Cel.Program p = assertInstanceOf(Cel.Program.class, c, () -> ((Cel.Invalid) c).message());
    Cel.Outcome o = p.eval(Map.of("self", JsonValues.toCel(SELF)));
    return o instanceof Cel.Value v ? String.valueOf(v.value()) : "failure: " + ((Cel.Failure) o).message();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "quantity('50M').isLessThan(quantity('100M'))                      | true",
      "quantity('100M').isGreaterThan(quantity('50M'))                   | true",
      "quantity('1Gi').isGreaterThan(quantity('1G'))                     | true",
      "quantity('500m').isLessThan(quantity('1'))                        | true",
      "quantity('1000m') == quantity('1')                                | true",
      "quantity('1Ki') == quantity('1024')                               | true",
      "quantity('1Ki') == quantity('1k')                                 | false",
      "quantity('50M').compareTo(quantity('50M'))                        | 0",
      "quantity('50M').compareTo(quantity('100M'))                       | -1",
      "quantity('100M').compareTo(quantity('50M'))                       | 1",
      "quantity('50k').add(quantity('20k')) == quantity('70k')           | true",
      "quantity('50k').add(20) == quantity('50020')                      | true",
      "quantity('50k').sub(quantity('20k')) == quantity('30k')           | true",
      "quantity('50k').sub(20000) == quantity('30k')                     | true",
      "quantity('50k').asInteger()                                       | 50000",
      "quantity('1.5').isInteger()                                       | false",
      "quantity('1500m').asApproximateFloat()                            | 1.5",
      "quantity('9999999999999999999999999999999999999G').isInteger()    | false",
      "quantity('-12').sign()                                            | -1",
      "quantity('0').sign()                                              | 0",
      "isQuantity('1.3G')                                                | true",
      "isQuantity('1.3Gi')                                               | true",
      "isQuantity('1,3G')                                                | false",
      "isQuantity('10000k')                                              | true",
      "quantity(self.memory).isLessThan(quantity('1Gi'))                 | true",
      "quantity(self.cpu).add(quantity(self.cpu)) == quantity('500m')    | true",
      "url('https://example.com/').getScheme()                           | https",
      "url('https://example.com:80/').getHost()                          | example.com:80",
      "url('https://example.com/').getHost()                             | example.com",
      "url('https://[::1]:80/').getHost()                                | [::1]:80",
      "url('https://example.com/').getHostname()                         | example.com",
      "url('https://[::1]:80/').getHostname()                            | ::1",
      "url('https://example.com:80/').getPort()                          | 80",
      "url('https://example.com/').getPort()                             | ''",
      "url('https://example.com/path').getEscapedPath()                  | /path",
      "url('https://example.com/path with spaces/').getEscapedPath()     | /path%20with%20spaces/",
      "url('https://example.com/').getEscapedPath()                      | /",
      "url('https://example.com/?k=v&k=v2&k2=v3').getQuery()             | {k=[v, v2], k2=[v3]}",
      "url('https://example.com/?a=b%20c').getQuery()['a'][0]            | b c",
      "url('/absolute-path').getEscapedPath()                            | /absolute-path",
      "url('/absolute-path').getHost()                                   | ''",
      "isURL('https://example.com/')                                     | true",
      "isURL('/absolute-path')                                           | true",
      "isURL('example.com')                                              | false",
      "isURL('mailto:someone@example.com')                               | false",
      "url(self.endpoint).getHostname().endsWith('.example.com')         | true",
      "url(self.endpoint).getQuery()['x'] == ['1']                       | true",
      "[1, 2, 3].max()                                                   | 3",
      "[1, 2, 3].min()                                                   | 1",
      "['b', 'c', 'a'].min()                                             | a",
      "[1.5, 0.5].max()                                                  | 1.5",
      "[1, 2, 2, 3].indexOf(2)                                           | 1",
      "[1, 2, 2, 3].lastIndexOf(2)                                       | 2",
      "['a', 'b'].indexOf('z')                                           | -1",
      "'hello'.indexOf('l')                                              | 2",
  })
  void answersAsKubernetesDoes(String expression, String expected) {
    assertEquals(expected, eval(expression));
  }

  @Test
  void aBadArgumentFailsTheEvaluationSayingWhy() {
    assertTrue(eval("quantity('1,3G') == quantity('1')").startsWith("failure: "), eval("quantity('1,3G') == quantity('1')"));
    String notWhole = eval("quantity('1.5').asInteger() == 1");
    assertTrue(notWhole.startsWith("failure: ") && notWhole.contains("integer"), notWhole);
    String empty = eval("[].max() == 1");
    assertTrue(empty.startsWith("failure: "), empty);
    String relative = eval("url('example.com').getHost() == ''");
    assertTrue(relative.startsWith("failure: "), relative);
  }

  @Test
  void typesAreCheckedWhenCompiled() {
    assertInstanceOf(Cel.Invalid.class, CEL.compile("quantity(1)"));
    assertInstanceOf(Cel.Invalid.class, CEL.compile("quantity('1').isLessThan(2)"));
    assertInstanceOf(Cel.Invalid.class, CEL.compile("url('/a').getPort() == 80"));
  }
}
