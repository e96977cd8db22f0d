/** The scheduler: a cluster singleton holding a node and pod cache, and the pure placement pipeline (filter plugins, then score plugins) it runs for each pending pod. Arrives with the Nodes and scheduling issue. */
package dev.tugboat.scheduler;
