package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityTest {
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "500m, 0.5", "2, 2", "128Mi, 134217728", "1G, 1000000000", "0.1, 0.1", "1e3, 1000", "1E3, 1000",
      "1.5Gi, 1610612736", ".5, 0.5", "1., 1", "1Ki, 1024", "100n, 0.0000001", "250u, 0.00025", "+3, 3", "-2, -2",
      "1E-3, 0.001", "2k, 2000", "3M, 3000000", "1T, 1000000000000", "1P, 1000000000000000",
      "2E, 2000000000000000000", "1Ti, 1099511627776", "1Pi, 1125899906842624", "1Ei, 1152921504606846976",
      "0, 0", "1e+2, 100", "12e-1, 1.2"})
  void validQuantitiesParseToTheirValue(String text, String value) {
    Quantity q = Quantity.parse(text);
    assertEquals(0, new BigDecimal(value).compareTo(q.value()), text + " is " + q.value());
    assertEquals(text, q.toString(), "the user's text is kept");
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource(delimiter = '|', textBlock = """
      1.2.3   | unable to parse quantity's suffix
      12MB    | unable to parse quantity's suffix
      abc     | must match the regular expression
      ''      | must not be empty
      1 Gi    | unable to parse quantity's suffix
      Mi      | must match the regular expression
      1iK     | unable to parse quantity's suffix
      1ki     | unable to parse quantity's suffix
      --1     | must match the regular expression
      1e      | unable to parse quantity's suffix
      1e3.5   | unable to parse quantity's suffix
      .       | must match the regular expression
      ' 1'    | must match the regular expression
      1e999   | exponent is out of range
      1e-1000 | exponent is out of range
      0x10    | unable to parse quantity's suffix
      """)
  void badQuantitiesAreRefusedWithAReason(String text, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantity.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @ParameterizedTest(name = "{0}: milli {1}, whole {2}")
  @CsvSource({
      "500m, 500, 1", "2, 2000, 2", "1.5Ki, 1536000, 1536", "1m, 1, 1", "0.1m, 1, 1", "100n, 1, 1", "0, 0, 0",
      "128Mi, 134217728000, 134217728",
      // Beyond a long: saturated, as Kubernetes' MilliValue/Value are, rather than an exception.
      "8Ei, 9223372036854775807, 9223372036854775807", "1e100, 9223372036854775807, 9223372036854775807"})
  void milliAndWholeValuesRoundUpAndSaturate(String text, long milli, long whole) {
    assertEquals(milli, Quantity.parse(text).milliValue());
    assertEquals(whole, Quantity.parse(text).longValue());
  }

  @Test
  void factoriesWriteWhatKubernetesWrites() {
    assertEquals("1900m", Quantity.ofMilli(1900).text());
    assertEquals("2", Quantity.ofMilli(2000).text());
    assertEquals("110", Quantity.of(110).text());
  }

  /** YAML {@code cpu: 2} and {@code cpu: 0.5} are numbers; they are kept as the text written, and written as strings. */
  @Test
  void numbersInManifestsBecomeTheirText() {
    Pod pod = (Pod) Codec.readManifests("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec: {containers: [{name: c, image: i, resources: {requests: {cpu: 2, memory: 1e3}, limits: {cpu: 0.5}}}]}
        """).get(0);
    Pod.Resources r = pod.spec().containers().get(0).resources();
    assertEquals(new Quantity("2"), r.requests().get("cpu"));
    // YAML reads 1e3 as a float: its text is the number's (Kubernetes normalizes such numbers too).
    assertEquals(0, new BigDecimal(1000).compareTo(r.requests().get("memory").value()));
    assertEquals(new Quantity("0.5"), r.limits().get("cpu"));
    assertTrue(Codec.toJson(pod).contains("\"requests\":{\"cpu\":\"2\",\"memory\":\"1000.0\"}"), Codec.toJson(pod));
  }
}
