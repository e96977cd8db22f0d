package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    return Validation.validate(Defaults.apply(objects.get(0)));
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
      """)
  void serviceRules(String spec, String field, String type) {
    String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, " + spec + "}\n";
    List<FieldError> errors = errors(yaml);
    assertTrue(errors.stream().anyMatch(e -> e.field().equals(field) && e.type().equals(type)),
        "expected " + type + " at " + field + ", got " + errors);
  }

  @Test
  void serviceAndNamespaceNamesAreDnsLabels() {
    assertEquals("metadata.name", Validation.validateName("Service", "web.v2").get(0).field());
    assertEquals(List.of(), Validation.validateName("Pod", "web.v2"));
    assertEquals("FieldValueRequired", Validation.validateName("Pod", "").get(0).type());
  }

  @Test
  void messagesReadAsKubernetesWritesThem() {
    FieldError e = Validation.validateName("Pod", "Web_1").get(0);
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
    Deployment before = (Deployment) Defaults.apply(Codec.readManifests(DEPLOYMENT).get(0));
    Deployment after = (Deployment) Defaults.apply(Codec.readManifests(DEPLOYMENT
        .replace("selector: {matchLabels: {app: web}}", "selector: {matchLabels: {app: web, tier: x}}")
        .replace("labels: {app: web}}\n          spec", "labels: {app: web, tier: x}}\n          spec")).get(0));
    List<FieldError> errors = Validation.validateUpdate(before, after);
    assertEquals("spec.selector", errors.get(0).field());
    assertTrue(errors.get(0).message().contains("field is immutable"));
  }

  @Test
  void aPodMayChangeItsImagesAndBeBoundOnce() {
    Pod pod = (Pod) Defaults.apply(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: a:1}]}\n").get(0));
    Pod newImage = pod.withSpec(pod.spec().withContainers(List.of(pod.spec().containers().get(0).withImage("a:2"))));
    assertEquals(List.of(), Validation.validateUpdate(pod, newImage));
    Pod bound = (Pod) Defaults.apply(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n1, containers: [{name: c, image: a:1}]}\n").get(0));
    assertEquals(List.of(), Validation.validateUpdate(pod, bound));
    Pod moved = (Pod) Defaults.apply(Codec.readManifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: n2, containers: [{name: c, image: a:1}]}\n").get(0));
    assertEquals("spec", Validation.validateUpdate(bound, moved).get(0).field());
  }
}
