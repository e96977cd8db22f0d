package dev.tugboat.kinds.job;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a Job's conditions off its JSON. */
public final class JobConditions {
  private JobConditions() {}

  /** Whether {@code conditions} holds {@code type} with status True. */
  public static boolean isTrue(JsonNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) return true;
    }
    return false;
  }

  /** Whether the Job has finished: Complete or Failed. */
  public static boolean finished(JsonNode job) {
    JsonNode conditions = job.path("status").path("conditions");
    return isTrue(conditions, "Complete") || isTrue(conditions, "Failed");
  }
}
