/** The container runtime behind the node agent: the ContainerRuntime interface (modelled on the CRI), DockerRuntime on docker-java, and a simulated runtime for scale benchmarks. Arrives with the Nodes and scheduling issue. */
package dev.tugboat.runtime;
