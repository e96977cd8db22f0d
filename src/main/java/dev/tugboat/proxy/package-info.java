/** The Service proxy (Tugboat's kube-proxy): a TCP listener per Service port on every worker, forwarding to ready endpoints with Pekko Streams; its ingress controller is {@code proxy.ingress}. */
package dev.tugboat.proxy;
