/** Tugboat's HTTP API, shaped like Kubernetes': resource paths and verbs, the three patch types, discovery, Status errors, watch (chunked and WebSocket), health and metrics. */
package dev.tugboat.apiserver;
