package dev.tugboat.kind;

import com.google.protobuf.Message;

/**
 * A kind's messages in Kubernetes' generated protobuf schema (client-java-proto): what lets the
 * API read and write it as {@code application/vnd.kubernetes.protobuf}. A kind without them (a
 * custom kind) is served as JSON and YAML only, as Kubernetes serves custom resources.
 *
 * @param object the message of one object, e.g. {@code V1Apps.Deployment}
 * @param list the message of its list, e.g. {@code V1Apps.DeploymentList}
 */
public record ProtobufMessages(Class<? extends Message> object, Class<? extends Message> list) {}
