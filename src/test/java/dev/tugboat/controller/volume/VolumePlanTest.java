package dev.tugboat.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class VolumePlanTest {
  private static ObjectNode bound(String policy, String phase) {
    ObjectNode pv = ClaimPlanTest.pv("pv1", "1Gi", "claimRef: {namespace: default, name: data, uid: c1}");
    ((ObjectNode) pv.get("spec")).put("persistentVolumeReclaimPolicy", policy);
    ((ObjectNode) pv.get("status")).put("phase", phase);
    return pv;
  }

  private static ObjectNode claim(String volumeName) {
    ObjectNode c = ClaimPlanTest.claim("");
    ((ObjectNode) c.get("spec")).put("volumeName", volumeName);
    return c;
  }

  @Test
  void freeVolumesAreAvailableAndBoundOnesBound() {
    ObjectNode fresh = ClaimPlanTest.pv("pv1", "1Gi", "");
    ((ObjectNode) fresh.get("status")).put("phase", "Pending");
    assertEquals(new VolumePlan.Phase("Available", null), VolumePlan.of(fresh, null));
    assertEquals(new VolumePlan.Phase("Bound", null), VolumePlan.of(bound("Retain", "Available"), claim("pv1")));
    assertEquals(new VolumePlan.Nothing(), VolumePlan.of(bound("Retain", "Bound"), claim("pv1")));
    // The claim has not named it back yet: binding is under way.
    assertEquals(new VolumePlan.Nothing(), VolumePlan.of(bound("Retain", "Available"), claim("")));
  }

  @Test
  void aVolumeWhoseClaimIsGoneIsReleasedThenReclaimed() {
    assertEquals(new VolumePlan.Phase("Released", null), VolumePlan.of(bound("Delete", "Bound"), null));
    assertEquals(new VolumePlan.Delete(), VolumePlan.of(bound("Delete", "Released"), null));
    assertEquals(new VolumePlan.Nothing(), VolumePlan.of(bound("Retain", "Released"), null));
    // A new claim of the same name is another claim.
    ObjectNode other = claim("pv1");
    other.with("metadata").put("uid", "c2");
    assertEquals(new VolumePlan.Phase("Released", null), VolumePlan.of(bound("Retain", "Bound"), other));
    assertEquals("Failed", ((VolumePlan.Phase) VolumePlan.of(bound("Recycle", "Released"), null)).phase());
  }
}
