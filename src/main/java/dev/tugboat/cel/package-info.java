/**
 * The Common Expression Language, as Kubernetes uses it for CRD {@code x-kubernetes-validations} and
 * ValidatingAdmissionPolicy: Google's CEL for Java ({@code dev.cel:cel}) with expressions compiled
 * once per text and environment, evaluated over Jackson trees, each evaluation bounded. Pure: no
 * actors, no registry; it may use the model only.
 */
package dev.tugboat.cel;
