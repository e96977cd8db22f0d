/** The node agent (Tugboat's kubelet): one NodeAgent per worker member and one child actor per pod, driving the container runtime and reporting pod status. Arrives with the Nodes and scheduling issue. */
package dev.tugboat.node;
