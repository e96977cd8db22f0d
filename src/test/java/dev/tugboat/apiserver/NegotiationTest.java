package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.apiserver.Negotiation.Format;
import dev.tugboat.apiserver.Negotiation.Representation;
import dev.tugboat.apiserver.Negotiation.Shape;
import dev.tugboat.apiserver.Negotiation.Verb;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Accept headers real clients send, and what each gets. */
class NegotiationTest {
  private static final String KUBECTL_GET =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  private static final String CLIENT_GO_PROTOBUF = "application/vnd.kubernetes.protobuf, */*";
  private static final String METADATA_LIST = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
      + "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
  private static final String METADATA_WATCH = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,"
      + "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

  private static Optional<Representation> choose(String accept, Verb verb, boolean protobuf) {
    return Negotiation.choose(accept, verb, protobuf);
  }

  private static Representation of(Format f, Shape s) {
    return new Representation(f, s);
  }

  @Test
  void noAcceptIsJson() {
    assertEquals(Optional.of(Representation.JSON), choose(null, Verb.GET, true));
    assertEquals(Optional.of(Representation.JSON), choose("", Verb.LIST, false));
    assertEquals(Optional.of(Representation.JSON), choose("*/*", Verb.WRITE, true));
  }

  @Test
  void kubectlGetGetsATableOnReadsAndTheObjectOnWrites() {
    assertEquals(Optional.of(of(Format.JSON, Shape.TABLE)), choose(KUBECTL_GET, Verb.LIST, true));
    assertEquals(Optional.of(of(Format.JSON, Shape.TABLE)), choose(KUBECTL_GET, Verb.WATCH, false));
    assertEquals(Optional.of(of(Format.JSON, Shape.TABLE)), choose("application/json;as=Table;v=v1beta1;g=meta.k8s.io", Verb.GET, true));
    assertEquals(Optional.of(Representation.JSON), choose(KUBECTL_GET, Verb.WRITE, true));
    // a client that prefers plain JSON gets plain JSON
    assertEquals(Optional.of(Representation.JSON), choose("application/json,application/json;as=Table;v=v1;g=meta.k8s.io", Verb.LIST, true));
  }

  @Test
  void protobufForBuiltInKindsOnlyElseTheNextRange() {
    assertEquals(Optional.of(of(Format.PROTOBUF, Shape.OBJECT)), choose(CLIENT_GO_PROTOBUF, Verb.LIST, true));
    assertEquals(Optional.of(Representation.JSON), choose(CLIENT_GO_PROTOBUF, Verb.LIST, false));
    assertEquals(Optional.empty(), choose("application/vnd.kubernetes.protobuf", Verb.GET, false));
    assertEquals(Optional.of(of(Format.PROTOBUF, Shape.OBJECT)),
        choose("application/vnd.kubernetes.protobuf;stream=watch", Verb.WATCH, true));
  }

  @Test
  void metadataOnlyFormsPerVerb() {
    assertEquals(Optional.of(of(Format.PROTOBUF, Shape.PARTIAL_METADATA)), choose(METADATA_LIST, Verb.LIST, false));
    assertEquals(Optional.of(of(Format.PROTOBUF, Shape.PARTIAL_METADATA)), choose(METADATA_WATCH, Verb.WATCH, true));
    assertEquals(Optional.of(of(Format.JSON, Shape.PARTIAL_METADATA)),
        choose("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", Verb.GET, true));
    // a list's form asked of a single object (and the reverse) is not produced...
    assertEquals(Optional.empty(), choose("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", Verb.GET, true));
    assertEquals(Optional.empty(), choose("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", Verb.LIST, true));
    // ...and neither is a form of another group
    assertEquals(Optional.empty(), choose("application/json;as=PartialObjectMetadataList;g=example.com;v=v1", Verb.LIST, true));
    // the trailing plain JSON of client-go's header is what an old server would answer
    assertEquals(Optional.of(Representation.JSON), choose(METADATA_LIST, Verb.GET, true));
  }

  @Test
  void preferencesAndRefusals() {
    assertEquals(Optional.of(of(Format.YAML, Shape.OBJECT)), choose("application/json;q=0.5, application/yaml", Verb.GET, true));
    assertEquals(Optional.of(Representation.JSON), choose("application/yaml;q=0, application/json;q=0.1", Verb.GET, true));
    assertEquals(Optional.empty(), choose("application/yaml", Verb.WATCH, true), "YAML has no watch stream");
    assertEquals(Optional.empty(), choose("text/html", Verb.GET, true));
    assertEquals(Optional.empty(), choose("application/json;as=Bogus;g=meta.k8s.io;v=v1", Verb.GET, true));
    assertTrue(Negotiation.notAcceptable("text/html").message().contains("text/html"));
    assertEquals(406, Negotiation.notAcceptable("text/html").code());
  }
}
