package dev.tugboat.model.apply;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code metadata.managedFields}, as Kubernetes writes it: which manager set which
 * fields ({@code fieldsV1}, see {@link FieldSet#toFieldsV1()}), by which operation ({@code Apply} or
 * {@code Update}), at which apiVersion and time, and through which subresource (null: the main one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time, String fieldsType,
    JsonNode fieldsV1, String subresource) {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";
  public static final String FIELDS_V1 = "FieldsV1";
}
