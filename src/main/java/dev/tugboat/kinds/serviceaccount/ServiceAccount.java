package dev.tugboat.kinds.serviceaccount;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.Pod;
import java.util.List;

/**
 * A ServiceAccount (core/v1): an identity for the processes of pods. The API server signs tokens
 * for it ({@code serviceaccounts/<name>/token}); such a token authenticates as
 * {@code system:serviceaccount:<namespace>:<name>} while the account exists with the same uid.
 *
 * @param secrets Secrets the account may use (legacy token Secrets, or ones pods may mount)
 * @param imagePullSecrets registry credentials added to the pods that run as this account
 * @param automountServiceAccountToken whether pods of this account get a token mounted (unless the pod says)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceAccount(String apiVersion, String kind, ObjectMeta metadata, List<ObjectReference> secrets,
    List<Pod.ObjectRef> imagePullSecrets, Boolean automountServiceAccountToken) implements ApiObject {

  @Override
  public ServiceAccount withMetadata(ObjectMeta metadata) {
    return new ServiceAccount(apiVersion, kind, metadata, secrets, imagePullSecrets, automountServiceAccountToken);
  }
}
