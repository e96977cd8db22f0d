/**
 * Server-side Tables: a kind's rows in the columns of its strategy's printer ({@code dev.tugboat.kind.Printer}),
 * shared by the API server ({@code kubectl get}) and {@code tug get}.
 */
package dev.tugboat.apiserver.table;
