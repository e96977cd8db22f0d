/**
 * Server-side Tables: the columns kubectl shows for each kind, one printer per kind, pure and shared
 * by the API server ({@code kubectl get}) and {@code tug get}.
 */
package dev.tugboat.apiserver.table;
