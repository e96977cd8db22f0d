package dev.tugboat.model;

import dev.tugboat.kinds.Strategies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each validation rule: a manifest that breaks it, and the field path and cause Kubernetes reports. */
class ValidationTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: httpd
              image: tugboat/busybox:1.0
              ports: [{name: http, containerPort: 80}]
      """;

  private static List<FieldError> errors(String yaml) {
    List<ApiObject> objects = Codec.readManifests(yaml);
    return Strategies.validate(Strategies.defaults(objects.get(0)));
  }

  @Test
  void theExampleIsValid() {
    assertEquals(List.of(), errors(DEPLOYMENT));
  }

  /** A change to the valid Deployment (search, replace) and the error it must cause. */
  @ParameterizedTest(name = "{3}: {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      name: web,                      | name: Web_1,                         | metadata.name                               | FieldValueInvalid
      name: web,                      | name: -web,                          | metadata.name                               | FieldValueInvalid
      labels: {app: web}}             | labels: {'app!': web}}               | metadata.labels                             | FieldValueInvalid
      labels: {app: web}}             | labels: {app: 'web value'}}          | metadata.labels                             | FieldValueInvalid
      replicas: 2                     | replicas: -1                         | spec.replicas                               | FieldValueInvalid
      selector: {matchLabels: {app: web}} | selector: {matchLabels: {app: db}} | spec.template.metadata.labels            | FieldValueInvalid
      selector: {matchLabels: {app: web}} | selector: {}                     | spec.selector                               | FieldValueRequired
      image: tugboat/busybox:1.0      | image: ''                            | spec.template.spec.containers[0].image      | FieldValueRequired
      name: httpd                     | name: Httpd                          | spec.template.spec.containers[0].name       | FieldValueInvalid
      containerPort: 80               | containerPort: 70000                 | spec.template.spec.containers[0].ports[0].containerPort | FieldValueInvalid
      containerPort: 80               | containerPort: 0                     | spec.template.spec.containers[0].ports[0].containerPort | FieldValueInvalid
      name: http,                     | name: this-name-is-far-too-long,     | spec.template.spec.containers[0].ports[0].name | FieldValueInvalid
      name: http,                     | name: '80',                          | spec.template.spec.containers[0].ports[0].name | FieldValueInvalid
      containerPort: 80}              | containerPort: 80, protocol: HTTP}   | spec.template.spec.containers[0].ports[0].protocol | FieldValueNotSupported
      replicas: 2                     | replicas: 2\\n  minReadySeconds: -5  | spec.minReadySeconds                        | FieldValueInvalid
      replicas: 2                     | replicas: 2\\n  revisionHistoryLimit: -1 | spec.revisionHistoryLimit               | FieldValueInvalid
      replicas: 2                     | replicas: 2\\n  strategy: {type: Sometimes} | spec.strategy.type                   | FieldValueNotSupported
      replicas: 2                     | replicas: 2\\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}} | spec.strategy.rollingUpdate.maxUnavailable | FieldValueInvalid
      replicas: 2                     | replicas: 2\\n  strategy: {rollingUpdate: {maxSurge: 'lots'}} | spec.strategy.rollingUpdate.maxSurge | FieldValueInvalid
      replicas: 2                     | replicas: 2\\n  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}} | spec.strategy.rollingUpdate | FieldValueForbidden
      replicas: 2                     | replicas: 2\\n  progressDeadlineSeconds: 5\\n  minReadySeconds: 10 | spec.progressDeadlineSeconds | FieldValueInvalid
      spec:\\n      containers:         | spec:\\n      restartPolicy: Never\\n      containers: | spec.template.spec.restartPolicy | FieldValueNotSupported
      containerPort: 80}]             | containerPort: 80}]\\n        resources: {requests: {cpu: 2}, limits: {cpu: 1}} | spec.template.spec.containers[0].resources.requests | FieldValueInvalid
      containerPort: 80}]             | containerPort: 80}]\\n        resources: {limits: {memory: 12MB}} | spec.template.spec.containers[0].resources.limits[memory] | FieldValueInvalid
      containerPort: 80}]             | containerPort: 80}]\\n        readinessProbe: {periodSeconds: 2} | spec.template.spec.containers[0].readinessProbe | FieldValueRequired
      containerPort: 80}]             | containerPort: 80}]\\n        livenessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}} | spec.template.spec.containers[0].livenessProbe | FieldValueForbidden
      containerPort: 80}]             | containerPort: 80}]\\n        livenessProbe: {httpGet: {port: 0}} | spec.template.spec.containers[0].livenessProbe.httpGet.port | FieldValueInvalid
      containerPort: 80}]             | containerPort: 80}]\\n        volumeMounts: [{name: data, mountPath: /data}] | spec.template.spec.containers[0].volumeMounts[0].name | FieldValueNotFound
      containerPort: 80}]             | containerPort: 80}]\\n      - name: httpd\\n        image: other:1 | spec.template.spec.containers[1].name | FieldValueDuplicate
      containerPort: 80}]             | containerPort: 80}]\\n        env: [{name: ''}] | spec.template.spec.containers[0].env[0].name | FieldValueRequired
      spec:\\n      containers:         | spec:\\n      volumes: [{name: data}]\\n      containers: | spec.template.spec.volumes[0] | FieldValueRequired
      spec:\\n      containers:         | spec:\\n      volumes: [{name: d, emptyDir: {}}, {name: d, emptyDir: {}}]\\n      containers: | spec.template.spec.volumes[1].name | FieldValueDuplicate
      """)
  void eachRuleNamesItsField(String search, String replace, String field, String type) {
    String yaml = DEPLOYMENT.replace(search.replace("\\n", "\n"), replace.replace("\\n", "\n"));
    if (yaml.equals(DEPLOYMENT)) throw new AssertionError("the search text was not found: " + search);
    List<FieldError> errors = errors(yaml);
    assertTrue(errors.stream().anyMatch(e -> e.field().equals(field) && e.type().equals(type)),
        "expected " + type + " at " + field + ", got " + errors);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      type: LoadBalancer                         | spec.type           | FieldValueNotSupported
      sessionAffinity: Sticky                    | spec.sessionAffinity | FieldValueNotSupported
      ports: []                                  | spec.ports          | FieldValueRequired
      ports: [{port: 80, nodePort: 30080}]       | spec.ports[0].nodePort | FieldValueForbidden
      ports: [{port: 80}, {port: 81}]            | spec.ports[0].name  | FieldValueRequired
      ports: [{name: a, port: 80}, {name: a, port: 81}] | spec.ports[1].name | FieldValueDuplicate
      ports: [{port: 99999}]                     | spec.ports[0].port  | FieldValueInvalid
      ports: [{port: 80, targetPort: 0}]         | spec.ports[0].targetPort | FieldValueInvalid
      type: NodePort, ports: [{port: 80, nodePort: 80}] | spec.ports[0].nodePort | FieldValueInvalid
      type: ExternalName, ports: []              | spec.externalName   | FieldValueRequired
      type: ExternalName, externalName: 'Not_A_Name' | spec.externalName | FieldValueInvalid
      type: ExternalName, externalName: db.example.com, clusterIP: 10.0.0.1 | spec.clusterIP | FieldValueForbidden
      externalName: db.example.com, ports: [{port: 80}] | spec.externalName | FieldValueForbidden
      type: ExternalName, externalName: a-label-that-is-longer-than-sixty-three-characters-which-dns-refuses.example.com | spec.externalName | FieldValueInvalid
      sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}, ports: [{port: 80}] | spec.sessionAffinityConfig.clientIP.timeoutSeconds | FieldValueInvalid
      sessionAffinity: ClientIP, sessionAffinityConfig: {clientIP: {timeoutSeconds: 86401}}, ports: [{port: 80}] | spec.sessionAffinityConfig.clientIP.timeoutSeconds | FieldValueInvalid
      sessionAffinity: None, sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}, ports: [{port: 80}] | spec.sessionAffinityConfig | FieldValueInvalid
      externalTrafficPolicy: Local, ports: [{port: 80}] | spec.externalTrafficPolicy | FieldValueInvalid
      type: NodePort, externalTrafficPolicy: Nearest, ports: [{port: 80}] | spec.externalTrafficPolicy | FieldValueNotSupported
      """)
  void serviceRules(String spec, String field, String type) {
    String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, " + spec + "}\n";
    List<FieldError> errors = errors(yaml);
    assertTrue(errors.stream().anyMatch(e -> e.field().equals(field) && e.type().equals(type)),
        "expected " + type + " at " + field + ", got " + errors);
  }

  private static final String POD = "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [%s]%s}}";
  private static final String C = "{name: c, image: i}";

  private static String pod(String containers, String more) {
    return String.format(POD, containers, more.isEmpty() ? "" : ", " + more);
  }

  /** Rules of every kind, one manifest (a YAML flow document) each. */
  static Stream<Arguments> otherRules() {
    return Stream.of(
        row(pod(C, "restartPolicy: Sometimes"), "spec.restartPolicy", "FieldValueNotSupported"),
        row(pod(C, "terminationGracePeriodSeconds: -1"), "spec.terminationGracePeriodSeconds", "FieldValueInvalid"),
        // dnsPolicy and dnsConfig, as Kubernetes' validateDNSPolicy and validatePodDNSConfig
        row(pod(C, "dnsPolicy: Cluster"), "spec.dnsPolicy", "FieldValueNotSupported"),
        row(pod(C, "dnsPolicy: None"), "spec.dnsConfig", "FieldValueRequired"),
        row(pod(C, "dnsPolicy: None, dnsConfig: {searches: [a.example]}"), "spec.dnsConfig.nameservers", "FieldValueRequired"),
        row(pod(C, "dnsConfig: {nameservers: [1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4]}"), "spec.dnsConfig.nameservers",
            "FieldValueInvalid"),
        row(pod(C, "dnsConfig: {nameservers: [not-an-ip]}"), "spec.dnsConfig.nameservers[0]", "FieldValueInvalid"),
        row(pod(C, "dnsConfig: {searches: [" + String.join(", ", java.util.Collections.nCopies(33, "a.example")) + "]}"),
            "spec.dnsConfig.searches", "FieldValueInvalid"),
        row(pod(C, "dnsConfig: {searches: [" + String.join(", ", java.util.Collections.nCopies(30, "a".repeat(63) + ".example"))
            + "]}"), "spec.dnsConfig.searches", "FieldValueInvalid"),
        row(pod(C, "dnsConfig: {searches: [Bad_Domain]}"), "spec.dnsConfig.searches[0]", "FieldValueInvalid"),
        row(pod(C, "dnsConfig: {options: [{value: '2'}]}"), "spec.dnsConfig.options[0].name", "FieldValueRequired"),
        row(pod(C, "hostname: " + "h".repeat(64)), "spec.hostname", "FieldValueInvalid"),
        row(pod(C, "subdomain: Not.A.Label"), "spec.subdomain", "FieldValueInvalid"),
        row("{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {selector: {matchLabels: {a: b}}, "
            + "template: {metadata: {labels: {a: b}}, spec: {dnsPolicy: None, containers: [" + C + "]}}}}",
            "spec.template.spec.dnsConfig", "FieldValueRequired"),
        row(pod("", ""), "spec.containers", "FieldValueRequired"),
        row(pod("{name: c}", ""), "spec.containers[0].image", "FieldValueRequired"),
        row(pod("{image: i}", ""), "spec.containers[0].name", "FieldValueRequired"),
        row(pod(C + ", {name: c, image: j}", ""), "spec.containers[1].name", "FieldValueDuplicate"),
        row(pod(C, "initContainers: [{name: c, image: j}]"), "spec.initContainers[0].name", "FieldValueDuplicate"),
        row(pod("{name: c, image: i, ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]}", ""),
            "spec.containers[0].ports[1].name", "FieldValueDuplicate"),
        row(pod("{name: c, image: i, ports: [{name: a--b, containerPort: 80}]}", ""),
            "spec.containers[0].ports[0].name", "FieldValueInvalid"),
        row(pod("{name: c, image: i, ports: [{name: Http, containerPort: 80}]}", ""),
            "spec.containers[0].ports[0].name", "FieldValueInvalid"),
        row(pod("{name: c, image: i, ports: [{containerPort: 80, hostPort: 70000}]}", ""),
            "spec.containers[0].ports[0].hostPort", "FieldValueInvalid"),
        row(pod("{name: c, image: i, ports: [{name: http}]}", ""),
            "spec.containers[0].ports[0].containerPort", "FieldValueRequired"),
        row(pod("{name: c, image: i, imagePullPolicy: Sometimes}", ""),
            "spec.containers[0].imagePullPolicy", "FieldValueNotSupported"),
        row(pod("{name: c, image: i, resources: {requests: {CPU: 1}}}", ""),
            "spec.containers[0].resources.requests[CPU]", "FieldValueInvalid"),
        row(pod("{name: c, image: i, resources: {requests: {memory: -1Mi}}}", ""),
            "spec.containers[0].resources.requests[memory]", "FieldValueInvalid"),
        row(pod("{name: c, image: i, resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}}", ""),
            "spec.containers[0].resources.requests", "FieldValueInvalid"),
        row(pod("{name: c, image: i, livenessProbe: {exec: {command: [ls]}, periodSeconds: 0}}", ""),
            "spec.containers[0].livenessProbe.periodSeconds", "FieldValueInvalid"),
        row(pod("{name: c, image: i, startupProbe: {exec: {}}}", ""),
            "spec.containers[0].startupProbe.exec.command", "FieldValueRequired"),
        row(pod("{name: c, image: i, readinessProbe: {tcpSocket: {port: Http}}}", ""),
            "spec.containers[0].readinessProbe.tcpSocket.port", "FieldValueInvalid"),
        row(pod("{name: c, image: i, env: [{name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}", ""),
            "spec.containers[0].env[0].valueFrom", "FieldValueInvalid"),
        row(pod("{name: c, image: i, volumeMounts: [{name: v, mountPath: /a}, {name: v, mountPath: /a}]}",
            "volumes: [{name: v, emptyDir: {}}]"), "spec.containers[0].volumeMounts[1].mountPath", "FieldValueInvalid"),
        row(pod(C, "volumes: [{name: v, hostPath: {path: /x, type: Folder}}]"), "spec.volumes[0].hostPath.type",
            "FieldValueNotSupported"),
        row(pod(C, "volumes: [{name: v, hostPath: {}}]"), "spec.volumes[0].hostPath.path", "FieldValueRequired"),
        row(pod(C, "volumes: [{name: v, emptyDir: {medium: Disk}}]"), "spec.volumes[0].emptyDir.medium",
            "FieldValueNotSupported"),
        row(pod(C, "volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]"), "spec.volumes[0].hostPath",
            "FieldValueForbidden"),
        row(pod(C, "volumes: [{name: V_1, emptyDir: {}}]"), "spec.volumes[0].name", "FieldValueInvalid"),
        row(pod(C, "volumes: [{name: v, configMap: {}}]"), "spec.volumes[0].configMap.name", "FieldValueRequired"),
        row(pod(C, "volumes: [{name: v, secret: {secretName: s, defaultMode: 4096}}]"), "spec.volumes[0].secret.defaultMode",
            "FieldValueInvalid"),
        row(pod(C, "volumes: [{name: v, configMap: {name: c, items: [{key: k, path: ../etc/passwd}]}}]"),
            "spec.volumes[0].configMap.items[0].path", "FieldValueInvalid"),
        row(pod(C, "volumes: [{name: v, secret: {secretName: s, items: [{key: k, path: /abs}]}}]"),
            "spec.volumes[0].secret.items[0].path", "FieldValueInvalid"),
        row(pod(C, "volumes: [{name: v, configMap: {name: c}, secret: {secretName: s}}]"), "spec.volumes[0].secret",
            "FieldValueForbidden"),
        row(pod("{name: c, image: i, env: [{name: X, valueFrom: {configMapKeyRef: {name: c}}}]}", ""),
            "spec.containers[0].env[0].valueFrom.configMapKeyRef.key", "FieldValueRequired"),
        row(pod("{name: c, image: i, env: [{name: X, valueFrom: {secretKeyRef: {key: k}, fieldRef: {fieldPath: a}}}]}", ""),
            "spec.containers[0].env[0].valueFrom", "FieldValueInvalid"),
        row(pod("{name: c, image: i, envFrom: [{prefix: P_}]}", ""), "spec.containers[0].envFrom[0]", "FieldValueInvalid"),
        row(pod("{name: c, image: i, envFrom: [{secretRef: {}}]}", ""), "spec.containers[0].envFrom[0].secretRef.name",
            "FieldValueRequired"),
        row(pod(C, "nodeSelector: {'disk type': ssd}"), "spec.nodeSelector", "FieldValueInvalid"),
        row(pod(C, "tolerations: [{key: k, operator: Like}]"), "spec.tolerations[0].operator", "FieldValueNotSupported"),
        row(pod(C, "tolerations: [{key: k, effect: Never}]"), "spec.tolerations[0].effect", "FieldValueNotSupported"),
        row("{apiVersion: v1, kind: Pod, metadata: {generateName: Web_}, spec: {containers: [" + C + "]}}",
            "metadata.generateName", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Pod, metadata: {}, spec: {containers: [" + C + "]}}", "metadata.name",
            "FieldValueRequired"),
        row("{apiVersion: v1, kind: Pod, metadata: {name: '" + "a".repeat(254) + "'}, spec: {containers: [" + C + "]}}",
            "metadata.name", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: My.NS}, spec: {containers: [" + C + "]}}",
            "metadata.namespace", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {'/x': y}}, spec: {containers: [" + C + "]}}",
            "metadata.annotations", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {a: '" + "v".repeat(64) + "'}}, spec: {containers: ["
            + C + "]}}", "metadata.labels", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {'example.com/" + "k".repeat(64) + "': v}}, "
            + "spec: {containers: [" + C + "]}}", "metadata.labels", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Namespace, metadata: {name: team.a}}", "metadata.name", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {clusterIP: 10.96.0.300, ports: [{port: 80}]}}",
            "spec.clusterIP", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {type: ExternalName, ports: [{port: 80}]}}",
            "spec.externalName", "FieldValueRequired"),
        row("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {type: LoadBalancer, ports: [{port: 80}]}}",
            "spec.type", "FieldValueNotSupported"),
        row("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80, protocol: HTTP}]}}",
            "spec.ports[0].protocol", "FieldValueNotSupported"),
        row("{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80, targetPort: Http}]}}",
            "spec.ports[0].targetPort", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Endpoints, metadata: {name: web}, subsets: [{addresses: [{ip: 10.0.0.1}], "
            + "notReadyAddresses: [{ip: not-an-ip}]}]}", "subsets[0].notReadyAddresses[0].ip", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Endpoints, metadata: {name: web}, subsets: [{addresses: [{nodeName: n}]}]}",
            "subsets[0].addresses[0].ip", "FieldValueRequired"),
        row("{apiVersion: v1, kind: Endpoints, metadata: {name: web}, subsets: [{ports: [{port: 0}]}]}",
            "subsets[0].ports[0].port", "FieldValueInvalid"),
        row("{apiVersion: v1, kind: Node, metadata: {name: n}, spec: {taints: [{key: k, effect: Sometimes}]}}",
            "spec.taints[0].effect", "FieldValueNotSupported"),
        row("{apiVersion: v1, kind: Node, metadata: {name: n}, spec: {taints: [{effect: NoSchedule}]}}",
            "spec.taints[0].key", "FieldValueRequired"),
        row("{apiVersion: v1, kind: Event, metadata: {name: e}, involvedObject: {kind: Pod, name: p}, type: Info}",
            "type", "FieldValueNotSupported"),
        row("{apiVersion: v1, kind: Event, metadata: {name: e}}", "involvedObject", "FieldValueRequired"),
        row("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: rs}, spec: {replicas: -1, selector: {matchLabels: "
            + "{a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [" + C + "]}}}}", "spec.replicas",
            "FieldValueInvalid"),
        row("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: rs}, spec: {selector: {matchExpressions: "
            + "[{key: a, operator: Like}]}, template: {spec: {containers: [" + C + "]}}}}",
            "spec.selector.matchExpressions[0].operator", "FieldValueNotSupported"),
        row("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: rs}, spec: {selector: {matchExpressions: "
            + "[{key: a, operator: In}]}, template: {spec: {containers: [" + C + "]}}}}",
            "spec.selector.matchExpressions[0].values", "FieldValueRequired"),
        row("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: rs}, spec: {selector: {matchExpressions: "
            + "[{operator: Exists}]}, template: {spec: {containers: [" + C + "]}}}}",
            "spec.selector.matchExpressions[0].key", "FieldValueRequired"),
        row("{apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: rs}, spec: {selector: {matchLabels: {a: b}}}}",
            "spec.template", "FieldValueRequired"));
  }

  private static Arguments row(String yaml, String field, String type) {
    return Arguments.of(yaml, field, type);
  }

  @ParameterizedTest(name = "{2} at {1}")
  @MethodSource("otherRules")
  void eachRuleOfEveryKindNamesItsField(String yaml, String field, String type) {
    List<FieldError> errors = errors(yaml);
    assertTrue(errors.stream().anyMatch(e -> e.field().equals(field) && e.type().equals(type)),
        "expected " + type + " at " + field + ", got " + errors);
  }

  /** What must not be an error: each a rule that is easy to get too strict. */
  @ParameterizedTest
  @ValueSource(strings = {
      // The same port name in two containers (Kubernetes warns, it does not refuse).
      "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: i, ports: [{name: http, "
          + "containerPort: 80}]}, {name: b, image: i, ports: [{name: http, containerPort: 81}]}]}}",
      // generateName alone, ending in '-'.
      "{apiVersion: v1, kind: Pod, metadata: {generateName: web-}, spec: {containers: [{name: c, image: i}]}}",
      // An empty label value, a prefixed key, a dotted Pod name.
      "{apiVersion: v1, kind: Pod, metadata: {name: web.v2, labels: {example.com/tier: '', a: b}}, "
          + "spec: {containers: [{name: c, image: i}]}}",
      // A headless Service and an IPv6 endpoint.
      "{apiVersion: v1, kind: Service, metadata: {name: db}, spec: {clusterIP: None, ports: [{port: 5432}]}}",
      "{apiVersion: v1, kind: Endpoints, metadata: {name: db}, subsets: [{addresses: [{ip: 'fd00::5'}], "
          + "ports: [{port: 5432}]}]}",
      // dnsPolicy None with a nameserver; dnsConfig's full forms (a trailing dot, an option flag).
      "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {dnsPolicy: None, dnsConfig: {nameservers: [1.1.1.1, "
          + "'fd00::53'], searches: [example.com., a.b], options: [{name: ndots, value: '2'}, {name: edns0}]}, "
          + "hostname: web-0, subdomain: web, containers: [{name: c, image: i}]}}",
      // An ExternalName needs no ports; a Service without a selector is valid (its Endpoints are written by hand).
      "{apiVersion: v1, kind: Service, metadata: {name: db}, spec: {type: ExternalName, externalName: db.example.com}}",
      "{apiVersion: v1, kind: Service, metadata: {name: ext}, spec: {ports: [{port: 80}]}}",
      // Extended resources are fully qualified names.
      "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i, resources: {limits: "
          + "{example.com/gpu: 1, hugepages-2Mi: 64Mi, ephemeral-storage: 1Gi}}}]}}"})
  void validObjectsHaveNoErrors(String yaml) {
    assertEquals(List.of(), errors(yaml));
  }

  /** The messages kubectl prints, word for word. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {apiVersion: v1, kind: Pod, metadata: {name: Web_1}, spec: {containers: [{name: c, image: i}]}} | metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
      {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}} | spec.containers[0].image: Required value
      {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {restartPolicy: Sometimes, containers: [{name: c, image: i}]}} | spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"
      {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]}]}} | spec.containers[0].ports[1].name: Duplicate value: "http"
      {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: i, ports: [{name: '8080', containerPort: 80}]}]}} | spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)
      {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {type: LoadBalancer, ports: [{port: 80}]}} | spec.type: Unsupported value: "LoadBalancer": supported values: "ClusterIP", "ExternalName", "NodePort"
      {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {dnsPolicy: None, containers: [{name: c, image: i}]}} | spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None
      {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {dnsConfig: {nameservers: [1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4]}, containers: [{name: c, image: i}]}} | spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"}: must not have more than 3 nameservers
      {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: -1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: i}]}}}} | spec.replicas: Invalid value: -1: must be greater than or equal to 0
      {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: db, tier: x}}, spec: {containers: [{name: c, image: i}]}}}} | spec.template.metadata.labels: Invalid value: map[string]string{"app":"db", "tier":"x"}: `selector` does not match template `labels`
      """)
  void messagesAreWordedAsKubernetesWordsThem(String yaml, String message) {
    List<String> messages = errors(yaml).stream().map(FieldError::toString).toList();
    assertTrue(messages.contains(message), "expected\n" + message + "\nin\n" + String.join("\n", messages));
  }

  @Test
  void serviceAndNamespaceNamesAreDnsLabels() {
    assertEquals("metadata.name", Validation.validateName(Validation.NameRule.DNS_LABEL, "web.v2").get(0).field());
    assertEquals(List.of(), Validation.validateName(Validation.NameRule.DNS_SUBDOMAIN, "web.v2"));
    assertEquals("FieldValueRequired", Validation.validateName(Validation.NameRule.DNS_SUBDOMAIN, "").get(0).type());
  }

  @Test
  void messagesReadAsKubernetesWritesThem() {
    FieldError e = Validation.validateName(Validation.NameRule.DNS_SUBDOMAIN, "Web_1").get(0);
    assertTrue(e.toString().startsWith("metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain"), e.toString());
    Status status = Status.invalid("apps", "Deployment", "web", List.of(FieldError.invalid("spec.replicas", -1,
        "must be greater than or equal to 0")));
    assertEquals("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        status.message());
    assertEquals(422, status.code());
    assertEquals("spec.replicas", status.details().causes().get(0).field());
  }

  @Test
  void immutableFieldsCannotChange() {
    Deployment before = (Deployment) Strategies.defaults(Codec.readManifests(DEPLOYMENT).get(0));
    Deployment after = (Deployment) Strategies.defaults(Codec.readManifests(DEPLOYMENT
        .replace("selector: {matchLabels: {app: web}}", "selector: {matchLabels: {app: web, tier: x}}")
        .replace("labels: {app: web}}\n          spec", "labels: {app: web, tier: x}}\n          spec")).get(0));
    List<FieldError> errors = Strategies.validateUpdate(before, after);
    assertEquals("spec.selector", errors.get(0).field());
    assertTrue(errors.get(0).message().contains("field is immutable"));
  }

  @Test
  void selectorsCompareSemanticallyAndIdentityCannotChange() {
    Deployment before = (Deployment) Strategies.defaults(Codec.readManifests(DEPLOYMENT).get(0));
    Deployment same = before.withSpec(new Deployment.Spec(before.spec().replicas(),
        new LabelSelector(new java.util.LinkedHashMap<>(Map.of("app", "web")), List.of()), before.spec().template(),
        before.spec().strategy(), before.spec().minReadySeconds(), before.spec().revisionHistoryLimit(),
        before.spec().progressDeadlineSeconds(), before.spec().paused()));
    assertEquals(List.of(), Strategies.validateUpdate(before, same), "no expressions equals empty expressions");

    Deployment renamed = before.withMetadata(before.metadata().withName("other"));
    assertEquals("metadata.name: Invalid value: \"other\": field is immutable",
        Strategies.validateUpdate(before, renamed).get(0).toString());

    Service svc = (Service) Codec.readManifests(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {clusterIP: 10.96.0.10, ports: [{port: 80}]}\n").get(0);
    Service moved = svc.withSpec(new Service.Spec(null, null, svc.spec().ports(), "10.96.0.11", null, null, null, null, null));
    assertEquals("spec.clusterIP", Strategies.validateUpdate(svc, moved).get(0).field());
    Service unset = svc.withSpec(new Service.Spec(null, null, svc.spec().ports(), null, null, null, null, null, null));
    assertEquals("spec.clusterIP", Strategies.validateUpdate(svc, unset).get(0).field(), "once set, it stays");
  }

  @Test
  void aPodMayChangeItsImagesAndBeBoundOnce() {
    Pod pod = (Pod) Strategies.defaults(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: a:1}]}\n").get(0));
    Pod newImage = pod.withSpec(pod.spec().withContainers(List.of(pod.spec().containers().get(0).withImage("a:2"))));
    assertEquals(List.of(), Strategies.validateUpdate(pod, newImage));
    Pod bound = (Pod) Strategies.defaults(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n1, containers: [{name: c, image: a:1}]}\n").get(0));
    assertEquals(List.of(), Strategies.validateUpdate(pod, bound));
    Pod moved = (Pod) Strategies.defaults(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n2, containers: [{name: c, image: a:1}]}\n").get(0));
    assertEquals("spec", Strategies.validateUpdate(bound, moved).get(0).field());
  }
}
