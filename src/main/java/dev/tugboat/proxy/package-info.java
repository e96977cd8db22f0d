/** The Service proxy (Tugboat's kube-proxy): a TCP listener per Service port on every worker, forwarding to ready endpoints with Pekko Streams. Arrives with the Services issue. */
package dev.tugboat.proxy;
