package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubectl's -o jsonpath templates and custom columns, and the server's Warning headers as tug prints them. */
class JsonPathTemplateTest {
  private static final JsonNode LIST = Codec.parseTree("""
      {"kind":"List","items":[
        {"metadata":{"name":"a","labels":{"app":"web"}},"spec":{"containers":[{"name":"c1","image":"i1"},{"name":"c2","image":"i2"}]}},
        {"metadata":{"name":"b"},"spec":{"containers":[{"name":"c1","image":"i3"}]}}]}
      """.getBytes(StandardCharsets.UTF_8), false);

  @Test
  void pathsPrintTheirValuesSeparatedBySpaces() {
    assertEquals("a b", JsonPathTemplate.parse("{.items[*].metadata.name}").apply(LIST));
    assertEquals("i1", JsonPathTemplate.parse("{.items[0].spec.containers[0].image}").apply(LIST));
    assertEquals("names: a b!", JsonPathTemplate.parse("names: {.items[*].metadata.name}!").apply(LIST));
    assertEquals("i2", JsonPathTemplate.parse("{.items[0].spec.containers[?(@.name==\"c2\")].image}").apply(LIST));
    assertEquals("web", JsonPathTemplate.parse("{..labels.app}").apply(LIST));
    assertEquals("", JsonPathTemplate.parse("{.items[0].status.phase}").apply(LIST), "a missing field prints nothing");
  }

  @Test
  void rangeRepeatsItsBodyForEachResultAndLiteralsPrintAsWritten() {
    assertEquals("a\ti1,i2,\nb\ti3,\n", JsonPathTemplate.parse(
        "{range .items[*]}{.metadata.name}{\"\\t\"}{range .spec.containers[*]}{.image},{end}{\"\\n\"}{end}").apply(LIST));
  }

  @Test
  void aBrokenTemplateIsTheUsersError() {
    assertTrue(assertThrows(CliException.class, () -> JsonPathTemplate.parse("{.items[*]")).getMessage().contains("unclosed"));
    assertTrue(assertThrows(CliException.class, () -> JsonPathTemplate.parse("{range .items[*]}{.x}")).getMessage().contains("unclosed range"));
    assertTrue(assertThrows(CliException.class, () -> JsonPathTemplate.parse("{end}")).getMessage().contains("not in range"));
  }

  @Test
  void customColumnsAlignAValuePerColumnAndSayNone() {
    List<JsonNode> items = List.of(LIST.path("items").get(0), LIST.path("items").get(1));
    assertEquals(List.of("NAME   IMAGES   APP", "a      i1,i2    web", "b      i3       <none>"),
        CustomColumns.parse("NAME:.metadata.name,IMAGES:.spec.containers[*].image,APP:.metadata.labels.app").lines(items));
    assertThrows(CliException.class, () -> CustomColumns.parse("NAME"));
  }

  @Test
  void aWarningHeadersTextIsWhatKubectlPrints() {
    assertEquals("would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false",
        ApiClient.warningText("299 - \"would violate PodSecurity \\\"restricted:latest\\\": allowPrivilegeEscalation != false\""));
    assertEquals("plain", ApiClient.warningText("plain"));
  }
}
