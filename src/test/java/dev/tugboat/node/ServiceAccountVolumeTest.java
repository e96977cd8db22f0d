package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountVolumeTest {
  private static Pod.Spec spec(String yaml) {
    return Codec.yaml().convertValue(Codec.parseTree(yaml.getBytes(), true, false), Pod.Spec.class);
  }

  private static JsonNode account(String yaml) {
    return Codec.parseTree(yaml.getBytes(), true, false);
  }

  @Test
  void thePodsSettingWinsOverTheAccountsAndNeitherMeansYes() {
    JsonNode off = account("automountServiceAccountToken: false");
    JsonNode on = account("automountServiceAccountToken: true");
    JsonNode silent = account("metadata: {name: default}");
    Pod.Spec podOff = spec("{automountServiceAccountToken: false, containers: [{name: c, image: i}]}");
    Pod.Spec podOn = spec("{automountServiceAccountToken: true, containers: [{name: c, image: i}]}");
    Pod.Spec podSilent = spec("{containers: [{name: c, image: i}]}");
    assertFalse(ServiceAccountVolume.automount(podOff, on));
    assertTrue(ServiceAccountVolume.automount(podOn, off));
    assertFalse(ServiceAccountVolume.automount(podSilent, off));
    assertTrue(ServiceAccountVolume.automount(podSilent, on));
    assertTrue(ServiceAccountVolume.automount(podSilent, silent));
    assertTrue(ServiceAccountVolume.automount(podSilent, null));
  }

  @Test
  void aTokenIsDueOnce80PercentOfItsLifeHasPassed() {
    Instant issued = Instant.parse("2026-12-04T10:00:00Z");
    var token = new ServiceAccountVolume.Token("t", issued, issued.plusSeconds(3600));
    assertFalse(token.due(issued));
    assertFalse(token.due(issued.plusSeconds(2879)));
    assertTrue(token.due(issued.plusSeconds(2880)));
    assertTrue(token.due(issued.plusSeconds(4000)));
    assertFalse(token.toString().contains("t,"), "never the token: " + token);
  }

  @Test
  void theVolumeHoldsTokenCaAndNamespaceAndNoCaWithoutTls() {
    var token = new ServiceAccountVolume.Token("a.b.c", Instant.EPOCH, Instant.EPOCH.plusSeconds(3607));
    var files = ServiceAccountVolume.files(token, "-----BEGIN CERTIFICATE-----\n", "team-a");
    assertEquals(List.of("token", "ca.crt", "namespace"), List.copyOf(files.keySet()));
    assertEquals("team-a", new String(files.get("namespace").content(), StandardCharsets.UTF_8));
    assertEquals("a.b.c", new String(files.get("token").content(), StandardCharsets.UTF_8));
    assertEquals(0644, files.get("token").mode());
    assertEquals(List.of("token", "namespace"), List.copyOf(ServiceAccountVolume.files(token, null, "x").keySet()));
  }

  @Test
  void aPodsAccountAndItsOwnMountAtThePath() {
    assertEquals("default", ServiceAccountVolume.account(spec("{containers: [{name: c, image: i}]}")));
    assertEquals("robot", ServiceAccountVolume.account(spec("{serviceAccount: robot, containers: [{name: c, image: i}]}")));
    Pod.Spec own = spec("{containers: [{name: c, image: i, volumeMounts: [{name: v, mountPath: "
        + ServiceAccountVolume.MOUNT_PATH + "}]}, {name: d, image: i}]}");
    assertTrue(ServiceAccountVolume.mountsItsOwn(own.containers().get(0)));
    assertFalse(ServiceAccountVolume.mountsItsOwn(own.containers().get(1)));
  }
}
