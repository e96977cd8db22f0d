package dev.tugboat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of docs/architecture.md ("Layers"), checked on the compiled classes: a dependency that
 * points the wrong way, or a cycle between packages, fails this test rather than a review.
 */
@AnalyzeClasses(packages = "dev.tugboat", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String MODEL = "model";
  private static final String CEL = "cel";
  private static final String KIND = "kind";
  private static final String KINDS = "kinds";
  private static final String REGISTRY = "registry";
  private static final String RUNTIME = "runtime";
  private static final String PROTOCOL = "protocol";
  private static final String SCHEDULER = "scheduler";
  private static final String CONTROLLER = "controller";
  private static final String NODE = "node";
  private static final String PROXY = "proxy";
  private static final String DNS = "dns";
  private static final String SECURITY = "security";
  private static final String ADMISSION = "admission";
  private static final String APISERVER = "apiserver";
  private static final String CLIENT = "client";
  private static final String BOOT = "boot";
  private static final String BENCH = "bench";
  private static final String CLI = "cli";

  /** Each package may use only those below it; a new package must be given its place here. */
  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .ensureAllClassesAreContainedInArchitecture()
      .layer(MODEL).definedBy("dev.tugboat.model..")
      .layer(CEL).definedBy("dev.tugboat.cel..")
      .layer(KIND).definedBy("dev.tugboat.kind..")
      .layer(KINDS).definedBy("dev.tugboat.kinds..")
      .layer(REGISTRY).definedBy("dev.tugboat.registry..")
      .layer(RUNTIME).definedBy("dev.tugboat.runtime..")
      .layer(PROTOCOL).definedBy("dev.tugboat.protocol..")
      .layer(SCHEDULER).definedBy("dev.tugboat.scheduler..")
      .layer(CONTROLLER).definedBy("dev.tugboat.controller..")
      .layer(NODE).definedBy("dev.tugboat.node..")
      .layer(PROXY).definedBy("dev.tugboat.proxy..")
      .layer(DNS).definedBy("dev.tugboat.dns..")
      .layer(SECURITY).definedBy("dev.tugboat.security..")
      .layer(ADMISSION).definedBy("dev.tugboat.admission..")
      .layer(APISERVER).definedBy("dev.tugboat.apiserver..")
      .layer(CLIENT).definedBy("dev.tugboat.client..")
      .layer(BOOT).definedBy("dev.tugboat.boot..")
      .layer(BENCH).definedBy("dev.tugboat.bench..")
      .layer(CLI).definedBy("dev.tugboat.cli..")

      .whereLayer(MODEL).mayNotAccessAnyLayer()
      // CEL is a pure library of expressions over JSON: it knows the model only
      .whereLayer(CEL).mayOnlyAccessLayers(MODEL)
      .whereLayer(KIND).mayOnlyAccessLayers(MODEL)
      .whereLayer(KINDS).mayOnlyAccessLayers(KIND, CEL, MODEL)
      .whereLayer(REGISTRY).mayOnlyAccessLayers(KINDS, KIND, CEL, MODEL)
      // The container runtime knows nothing of the registry or the API: it is driven, it drives nothing.
      .whereLayer(RUNTIME).mayNotAccessAnyLayer()
      .whereLayer(PROTOCOL).mayOnlyAccessLayers(REGISTRY, MODEL)
      // The control plane's components and the workers' know each other only through the registry's
      // objects and the protocol's messages.
      .whereLayer(SCHEDULER).mayOnlyAccessLayers(REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(CONTROLLER).mayOnlyAccessLayers(PROTOCOL, REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(NODE).mayOnlyAccessLayers(RUNTIME, PROTOCOL, REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(PROXY).mayOnlyAccessLayers(REGISTRY, KINDS, KIND, CEL, MODEL)
      // The cluster DNS reads the index as the proxy does; the host's resolv.conf is the runtime's DnsConfig.
      .whereLayer(DNS).mayOnlyAccessLayers(RUNTIME, REGISTRY, KINDS, KIND, CEL, MODEL)
      // The API server runs on the control plane: a pod's log comes from its node through the protocol.
      // Who asks and what they may do is decided from the registry's objects (roles, bindings, accounts).
      .whereLayer(SECURITY).mayOnlyAccessLayers(REGISTRY, KINDS, KIND, CEL, MODEL)
      // Admission webhooks are a step the registry runs (its DynamicAdmission seam), configured by its objects.
      .whereLayer(ADMISSION).mayOnlyAccessLayers(REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(APISERVER).mayOnlyAccessLayers(SECURITY, PROXY, PROTOCOL, REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(CLIENT).mayOnlyAccessLayers(REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(BOOT).mayOnlyAccessLayers(ADMISSION, SECURITY, APISERVER, CLIENT, SCHEDULER, CONTROLLER, NODE, PROXY, DNS, PROTOCOL,
          RUNTIME, REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(BENCH).mayOnlyAccessLayers(BOOT, ADMISSION, SECURITY, APISERVER, CLIENT, SCHEDULER, CONTROLLER, NODE, PROXY, DNS,
          PROTOCOL, RUNTIME, REGISTRY, KINDS, KIND, CEL, MODEL)
      .whereLayer(CLI).mayOnlyAccessLayers(BENCH, BOOT, ADMISSION, SECURITY, APISERVER, CLIENT, SCHEDULER, CONTROLLER, NODE, PROXY, DNS,
          PROTOCOL, RUNTIME, REGISTRY, KINDS, KIND, CEL, MODEL);

  @ArchTest
  static final ArchRule noCycles = slices().matching("dev.tugboat.(*)..").should().beFreeOfCycles();

  /** Every layer, and every client, can use the model: it brings nothing but Jackson. */
  @ArchTest
  static final ArchRule theModelIsPure = classes().that().resideInAPackage("dev.tugboat.model..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..", "dev.tugboat.model..")
      .because("the model knows nothing of Pekko (docs/architecture.md)");

  /** Expressions are evaluated inside admission, on any thread: no actors, no blocking on a cluster. */
  @ArchTest
  static final ArchRule celIsPure = noClasses().that().resideInAPackage("dev.tugboat.cel..")
      .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..");

  @ArchTest
  static final ArchRule theApiServerNeverTalksToDocker = noClasses().that().resideInAPackage("dev.tugboat.apiserver..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.tugboat.runtime..", "com.github.dockerjava..");

  /** Filters, scores and the cache's snapshots are tested without actors; only the singleton is one. */
  @ArchTest
  static final ArchRule placementIsPure = noClasses().that().resideInAPackage("dev.tugboat.scheduler..")
      .and().haveNameNotMatching("dev\\.tugboat\\.scheduler\\.Scheduler(\\$.*)?")
      .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..");
}
