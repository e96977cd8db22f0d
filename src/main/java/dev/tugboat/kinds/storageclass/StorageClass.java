package dev.tugboat.kinds.storageclass;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * A StorageClass (storage.k8s.io/v1, cluster-scoped): a kind of storage claims ask for, who
 * provisions it, what happens to its volumes when released, and when claims of it are bound.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageClass(String apiVersion, String kind, ObjectMeta metadata, String provisioner,
    Map<String, String> parameters, String reclaimPolicy, List<String> mountOptions, Boolean allowVolumeExpansion,
    String volumeBindingMode, List<JsonNode> allowedTopologies) implements ApiObject {

  /** Marks the class claims get when they name none. */
  public static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
  public static final String BETA_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
  /** Tugboat's provisioner: a directory under the data dir of the node the first pod was placed on. */
  public static final String LOCAL_PROVISIONER = "tugboat.dev/local";
  /** Kubernetes' name for "nobody provisions volumes of this class": only existing ones are bound. */
  public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
  /** The class Tugboat creates at startup if absent. */
  public static final String BUILT_IN = "local";
  public static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");

  @Override
  public StorageClass withMetadata(ObjectMeta metadata) {
    return new StorageClass(apiVersion, kind, metadata, provisioner, parameters, reclaimPolicy, mountOptions,
        allowVolumeExpansion, volumeBindingMode, allowedTopologies);
  }

  StorageClass withDefaults(String reclaimPolicy, String volumeBindingMode) {
    return new StorageClass(apiVersion, kind, metadata, provisioner, parameters, reclaimPolicy, mountOptions,
        allowVolumeExpansion, volumeBindingMode, allowedTopologies);
  }

  /** Whether a class (as JSON) is marked default, by the annotation or its beta form. */
  public static boolean isDefault(JsonNode storageClass) {
    JsonNode a = storageClass.path("metadata").path("annotations");
    return "true".equals(a.path(DEFAULT_ANNOTATION).asText()) || "true".equals(a.path(BETA_DEFAULT_ANNOTATION).asText());
  }
}
