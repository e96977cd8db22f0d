/**
 * Admission webhooks (admissionregistration.k8s.io/v1): the {@link dev.tugboat.registry.DynamicAdmission}
 * steps that call the webhooks of Mutating- and ValidatingWebhookConfigurations with an
 * AdmissionReview v1 over HTTPS. The pure parts (which webhooks a request matches, the review and
 * its answer, a JSONPatch applied, a certificate's names) are tested without actors or sockets.
 */
package dev.tugboat.admission;
