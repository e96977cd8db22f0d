package dev.tugboat.registry;

/**
 * Marker for every message, event and state that crosses the network or is persisted: bound to
 * Pekko's jackson-cbor serializer in {@code application.conf}.
 */
public interface CborSerializable {}
