package dev.tugboat.model;

/** An API object as Kubernetes shapes it: apiVersion, kind, metadata (then spec and status). */
public interface ApiObject {
  String apiVersion();

  String kind();

  ObjectMeta metadata();

  ApiObject withMetadata(ObjectMeta metadata);
}
