package dev.tugboat.kind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A version a built-in kind is served at besides the one it is stored at, and the conversion both
 * ways (Kubernetes' conversion functions between API versions): the API reads bodies of that
 * version into the stored one before admission, and shows stored objects in it. Each function
 * returns a new tree and leaves its argument as it was.
 *
 * @param type the kind's names at that version (same kind and plural, another version)
 * @param protobuf the messages of that version, if Kubernetes' protobuf schema has them
 * @param toStored an object of that version as the stored version holds it
 * @param fromStored a stored object as that version shows it
 */
public record VersionConversion(ResourceType type, Optional<ProtobufMessages> protobuf,
    UnaryOperator<ObjectNode> toStored, UnaryOperator<ObjectNode> fromStored) {}
