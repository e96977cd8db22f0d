/**
 * Tugboat's ingress controller ({@code tugboat.dev/ingress}), one per worker member beside the
 * service proxy: a Pekko HTTP server on an HTTP and a TLS port routing requests by the Ingresses'
 * hosts and paths ({@link dev.tugboat.proxy.ingress.RoutingTable}, pure) to the ready endpoints of
 * their Services, certificates chosen by SNI from {@code kubernetes.io/tls} Secrets
 * ({@link dev.tugboat.proxy.ingress.SniKeyManager}). See docs/services.md, "Ingress".
 */
package dev.tugboat.proxy.ingress;
