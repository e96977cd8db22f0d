/**
 * The messages two components exchange directly rather than through objects in the store: a node
 * agent's lease renewals to the node lifecycle controller ({@link dev.tugboat.protocol.NodeLease}),
 * and the API server's request for a container's log from the agent of its node
 * ({@link dev.tugboat.protocol.NodeLogs}). Neither side's package knows the other; both know these.
 */
package dev.tugboat.protocol;
