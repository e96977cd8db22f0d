package dev.tugboat.scheduler;

import dev.tugboat.model.Codec;
import dev.tugboat.model.Node;
import dev.tugboat.model.Pod;

/** Nodes and pods for placement tests, written as the JSON a user or an agent would send. */
final class Fixtures {
  private Fixtures() {}

  static NodeSnapshot node(String name, String cpu, String memory) {
    return node(name, cpu, memory, "\"ready\":true", "{}");
  }

  /** {@code extra} is spliced into the Node JSON: labels, taints, readiness. */
  static NodeSnapshot node(String name, String cpu, String memory, String options, String spec) {
    boolean ready = !options.contains("\"ready\":false");
    String labels = options.contains("\"labels\"") ? options.substring(options.indexOf("\"labels\"")) : "\"labels\":{}";
    return NodeSnapshot.of(Codec.convert(Codec.parseTree(("""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s",%s},"spec":%s,
         "status":{"allocatable":{"cpu":"%s","memory":"%s","pods":"110"},
                   "conditions":[{"type":"Ready","status":"%s"}]}}
        """).formatted(name, labels, spec, cpu, memory, ready ? "True" : "False").getBytes(), false), Node.class));
  }

  static PodRequest pod(String name, String cpu, String memory) {
    return pod(name, cpu, memory, "");
  }

  /** {@code spec} is spliced into the pod's spec before its containers. */
  static PodRequest pod(String name, String cpu, String memory, String spec) {
    return PodRequest.of(Codec.convert(Codec.parseTree(("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"uid-%s"},
         "spec":{%s"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"%s","memory":"%s"}}}]}}
        """).formatted(name, name, spec, cpu, memory).getBytes(), false), Pod.class));
  }

  static PodRequest owned(String name, String owner) {
    return PodRequest.of(Codec.convert(Codec.parseTree(("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"uid-%s",
          "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"%s","controller":true}]},
         "spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"100m","memory":"64Mi"}}}]}}
        """).formatted(name, name, owner).getBytes(), false), Pod.class));
  }
}
